// Timing a schedule's generated C kernel with the system compiler (tune.h).
#include "engine/loops/executor.h"
#include "engine/loops/nest_print.h"
#include "engine/loops/schedule_parse.h"
#include "engine/loops/tune.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace aisys::engine::loops {

namespace fs = std::filesystem;

std::string findCompiler() {
    if (const char* no = std::getenv("AISYS_NO_COMPILER"); no && *no)
        return "";
    const char* path = std::getenv("PATH");
    if (!path)
        return "";
    std::vector<std::string> dirs;
    std::stringstream ss(path);
    for (std::string d; std::getline(ss, d, ':');)
        if (!d.empty())
            dirs.push_back(d);
    for (const char* name : {"cc", "gcc", "clang", "c++", "g++"})
        for (const std::string& d : dirs) {
            std::error_code ec;
            const fs::path p = fs::path(d) / name;
            if (fs::is_regular_file(p, ec) || fs::is_symlink(p, ec)) {
                const auto perms = fs::status(p, ec).permissions();
                if (!ec && (perms & fs::perms::owner_exec) != fs::perms::none)
                    return p.string();
            }
        }
    return "";
}

namespace {

/// Replaces cProgram's main (which runs the kernel once on a zero pool) with a harness: the
/// pool read from argv[1], the output zeroed before each of argv[3] timed calls, the times in
/// ns on stdout, the pool after the last call into argv[2].
std::string harness(const std::string& program, const ComputeDef& def) {
    const std::size_t at = program.find("\nint main(void)");
    std::string s = program.substr(0, at + 1);
    const ArrayDecl& out = def.arrays[def.out.array];
    s += "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <time.h>\n\n"
         "int main(int argc, char** argv) {\n"
         "  if (argc != 4) return 1;\n"
         "  char* pool = (char*)(((uintptr_t)raw + POOL_ALIGN - 1) & ~(uintptr_t)(POOL_ALIGN - "
         "1));\n"
         "  FILE* f = fopen(argv[1], \"rb\");\n"
         "  if (!f || fread(pool, 1, POOL_BYTES, f) != (size_t)POOL_BYTES) return 2;\n"
         "  fclose(f);\n"
         "  int runs = atoi(argv[3]);\n"
         "  for (int r = 0; r < runs; ++r) {\n"
         "    memset(pool + " +
         std::to_string(out.offset) + ", 0, " + std::to_string(out.bytes()) +
         ");\n"
         "    struct timespec t0, t1;\n"
         "    clock_gettime(CLOCK_MONOTONIC, &t0);\n"
         "    kernel(";
    for (std::size_t a = 0; a < def.arrays.size(); ++a)
        s += (a ? ", " : "") + std::string("(volatile float*)(pool + ") +
             std::to_string(def.arrays[a].offset) + ")";
    s += ");\n"
         "    clock_gettime(CLOCK_MONOTONIC, &t1);\n"
         "    printf(\"%lld\\n\", (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec "
         "- t0.tv_nsec));\n"
         "  }\n"
         "  f = fopen(argv[2], \"wb\");\n"
         "  if (!f || fwrite(pool, 1, POOL_BYTES, f) != (size_t)POOL_BYTES) return 3;\n"
         "  fclose(f);\n"
         "  return 0;\n}\n";
    return s;
}

std::string quote(const std::string& p) {
    std::string q = "'";
    for (char c : p)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string readText(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

} // namespace

Measurement measureKernel(const ComputeDef& def, const std::string& scheduleString,
                          const std::string& compiler, int runs, std::uint32_t seed) {
    Measurement m;
    auto prims = parseSchedule(scheduleString);
    if (!prims) {
        m.error = prims.error;
        return m;
    }
    auto nest = schedule(def, *prims.value);
    if (!nest) {
        m.error = nest.error;
        return m;
    }
    if (compiler.empty()) {
        m.error = "no C compiler";
        return m;
    }
    static std::atomic<int> counter{0};
    std::error_code ec;
    const fs::path dir =
        fs::temp_directory_path(ec) /
        ("aisys-tune-" + std::to_string(std::random_device{}()) + "-" + std::to_string(counter++));
    fs::create_directories(dir, ec);
    if (ec) {
        m.error = "cannot create " + dir.string() + ": " + ec.message();
        return m;
    }
    const fs::path src = dir / "kernel.c", exe = dir / "kernel", in = dir / "in.bin",
                   out = dir / "out.bin", times = dir / "times.txt", log = dir / "log.txt";
    std::ofstream(src) << harness(cProgram(*nest.value, scheduleString), def);
    // The pool as f32, each array at its offset, the inputs of seededData.
    const ArrayData data = seededData(def, seed);
    std::vector<float> pool(static_cast<std::size_t>(def.poolBytes() / 4), 0.0f);
    for (std::size_t a = 0; a < def.arrays.size(); ++a)
        for (std::size_t e = 0; e < data.arrays[a].size(); ++e)
            pool[static_cast<std::size_t>(def.arrays[a].offset / 4) + e] =
                static_cast<float>(data.arrays[a][e]);
    std::ofstream(in, std::ios::binary)
        .write(reinterpret_cast<const char*>(pool.data()),
               static_cast<std::streamsize>(pool.size() * 4));
    const std::string build = quote(compiler) + " -x c -std=gnu11 -O2 -o " + quote(exe.string()) +
                              " " + quote(src.string()) + " -lm > " + quote(log.string()) + " 2>&1";
    if (std::system(build.c_str()) != 0) {
        m.error = compiler + " failed: " + readText(log).substr(0, 400);
        fs::remove_all(dir, ec);
        return m;
    }
    const std::string run = quote(exe.string()) + " " + quote(in.string()) + " " +
                            quote(out.string()) + " " + std::to_string(runs) + " > " +
                            quote(times.string()) + " 2>&1";
    if (const int rc = std::system(run.c_str()); rc != 0) {
        m.error = "the kernel exited with status " + std::to_string(rc);
        fs::remove_all(dir, ec);
        return m;
    }
    std::stringstream ts(readText(times));
    for (long long ns; ts >> ns;)
        m.runsMs.push_back(static_cast<double>(ns) / 1e6);
    std::vector<float> result(pool.size(), 0.0f);
    std::ifstream(out, std::ios::binary)
        .read(reinterpret_cast<char*>(result.data()),
              static_cast<std::streamsize>(result.size() * 4));
    fs::remove_all(dir, ec);
    if (static_cast<int>(m.runsMs.size()) != runs) {
        m.error = "the kernel printed " + std::to_string(m.runsMs.size()) + " times, expected " +
                  std::to_string(runs);
        return m;
    }
    std::vector<double> sorted = m.runsMs;
    std::sort(sorted.begin(), sorted.end());
    m.medianMs = sorted.size() % 2
                     ? sorted[sorted.size() / 2]
                     : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
    const ArrayData ref = reference(def, seed);
    const std::vector<double>& want = ref.arrays[def.out.array];
    const std::size_t base = static_cast<std::size_t>(def.arrays[def.out.array].offset / 4);
    m.matchesReference = true;
    for (std::size_t e = 0; e < want.size(); ++e) {
        const double d = std::abs(static_cast<double>(result[base + e]) - want[e]);
        m.maxAbsError = std::max(m.maxAbsError, d);
        if (d != 0)
            m.matchesReference = false;
    }
    m.ok = true;
    return m;
}

} // namespace aisys::engine::loops
