// Time from process start to the first painted frame of the GUI (goal ≤ 0.6 s under Xvfb
// with Mesa's software GL). Runs the real binary N times; prints every run, median and min.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <algorithm>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 7;
    const QString lesson = argc > 2 ? QString(argv[2]) : QString("ring-allreduce");
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("AISYSLAB_REPORT_FIRST_FRAME", "1");
        p.setProcessEnvironment(env);
        QElapsedTimer t;
        t.start();
        p.start(AISYS_EXE, {"--lesson", lesson, "--lang", "en"});
        if (!p.waitForStarted(10000)) {
            std::fprintf(stderr, "cannot start %s\n", AISYS_EXE);
            return 1;
        }
        QByteArray out;
        while (!out.contains("first-frame") && p.waitForReadyRead(20000))
            out += p.readAllStandardOutput();
        const double elapsed = t.nsecsElapsed() / 1e6;
        if (!out.contains("first-frame")) {
            std::fprintf(stderr, "run %d: no first frame reported (is a display available?)\n%s\n",
                         i, p.readAllStandardError().constData());
            return 1;
        }
        p.waitForFinished(10000);
        ms.push_back(elapsed);
        std::printf("run %d: first frame after %.1f ms\n", i + 1, elapsed);
    }
    std::sort(ms.begin(), ms.end());
    std::printf("startup to first painted frame: median %.1f ms, min %.1f ms over %d runs\n",
                ms[ms.size() / 2], ms.front(), runs);
    return 0;
}
