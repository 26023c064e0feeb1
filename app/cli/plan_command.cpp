// `aisyslab plan`: model and cluster (presets or flat TOML files) → engine/dist's planner →
// ranked plans, rejection reasons, JSON or an SVG of the step-time breakdown.
#include "app/cli/plan_command.h"

#include "engine/dist/planner.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

namespace aisys::app::cli {

namespace dist = engine::dist;

const char* planUsage() {
    return R"(  aisyslab plan --model FILE|PRESET --cluster FILE|PRESET [--nodes N] [--plan DP,TP,PP]
                [--top K] [--json] [--svg FILE]
      Enumerates every DP × TP × PP that multiplies to the cluster's GPUs, × ZeRO stage 0-3,
      micro-batch 1, 2, 4, 8 and activation recomputation on/off; rejects what does not divide
      (heads, layers, the global batch) or fit the GPU's memory, with the reason; estimates the
      step time (compute at the cluster's efficiency, the 1F1B bubble, tensor-, pipeline- and
      data-parallel communication) and the memory per GPU, and prints the fastest K (default
      10). Model presets: gpt3-175b, megatron-145b, megatron-1.7b, gpt3-1.3b; cluster presets:
      dgx-a100 (128 nodes of 8 A100 80 GB), dgx-a100-40gb; --nodes changes the node count.
      A file is flat TOML: layers, hidden, heads, seq, vocab, batch (model); nodes,
      gpus_per_node, memory ("80GB"), peak ("312TFLOP/s"), efficiency (0.5), intra_bw,
      inter_bw ("300GB/s"), intra_alpha, inter_alpha ("5us") (cluster). --plan evaluates one
      DP,TP,PP. --svg FILE draws the top plans' step-time breakdown and memory.
)";
}

namespace {

int fail(const std::string& msg) {
    std::fprintf(stderr, "aisyslab plan: %s\n", msg.c_str());
    return 2;
}

bool readFile(const std::string& path, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    return true;
}

bool looksLikeFile(const std::string& s) {
    return s.find('/') != std::string::npos || s.find('.') != std::string::npos;
}

std::string fmtGB(double b) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", b / 1e9);
    return buf;
}

/// "needs 99.1 GB per GPU …" → "does not fit the GPU's memory"; others: up to the first digit.
std::string reasonKind(const std::string& r) {
    if (r.rfind("needs ", 0) == 0)
        return "does not fit the GPU's memory";
    std::string k;
    bool number = false;
    for (char ch : r) {
        const bool digit = ch >= '0' && ch <= '9';
        if (digit && !number)
            k += 'N';
        number = digit;
        if (!digit)
            k += ch;
    }
    return k;
}

std::string svgOf(const dist::ModelSpec& m, const dist::ClusterSpec& c,
                  const std::vector<dist::Plan>& top) {
    const double left = 330, barW = 560, rowH = 26, top0 = 80, memX = left + barW + 75, memW = 160;
    const double height = top0 + double(top.size()) * (rowH + 8) + 70, width = memX + memW + 70;
    double maxStep = 0;
    for (const auto& p : top)
        maxStep = std::max(maxStep, p.step);
    auto num = [](const char* f, double v) {
        char b[48];
        std::snprintf(b, sizeof b, f, v);
        return std::string(b);
    };
    std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num("%.0f", width) +
                    "\" height=\"" + num("%.0f", height) +
                    "\" font-family=\"DejaVu Sans, sans-serif\">\n"
                    "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    o += "<text x=\"20\" y=\"30\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">3D plans: " +
         m.name + " on " + c.name + " (" + std::to_string(c.world()) + " GPUs)</text>\n";
    o += "<text x=\"20\" y=\"54\" font-size=\"13\" fill=\"#444\">estimated step time per plan, "
         "split into compute, 1F1B bubble, TP, PP and DP communication; memory per GPU against " +
         fmtGB(c.memoryBytes) + " GB</text>\n";
    const char* colors[] = {"#4c78a8", "#e45756", "#f58518", "#72b7b2", "#54a24b"};
    for (std::size_t i = 0; i < top.size(); ++i) {
        const auto& p = top[i];
        const double y = top0 + double(i) * (rowH + 8);
        o += "<text x=\"" + num("%.0f", left - 10) + "\" y=\"" + num("%.1f", y + 17) +
             "\" font-size=\"12\" text-anchor=\"end\" fill=\"#222\">" + std::to_string(i + 1) +
             ". " + p.label() + "</text>\n";
        const double parts[] = {p.compute, p.bubble, p.tpComm, p.ppComm, p.dpComm};
        double x = left;
        for (int k = 0; k < 5; ++k) {
            const double w = parts[k] / maxStep * barW;
            o += "<rect x=\"" + num("%.2f", x) + "\" y=\"" + num("%.1f", y) + "\" width=\"" +
                 num("%.2f", w) + "\" height=\"" + num("%.0f", rowH) + "\" fill=\"" + colors[k] +
                 "\"/>\n";
            x += w;
        }
        o += "<text x=\"" + num("%.2f", x + 6) + "\" y=\"" + num("%.1f", y + 17) +
             "\" font-size=\"12\" fill=\"#222\">" + num("%.3g s", p.step) + "</text>\n";
        const double frac = std::min(1.0, p.memoryBytes / c.memoryBytes);
        o += "<rect x=\"" + num("%.1f", memX) + "\" y=\"" + num("%.1f", y + 3) + "\" width=\"" +
             num("%.1f", memW) + "\" height=\"" + num("%.0f", rowH - 6) +
             "\" fill=\"#eee\" stroke=\"#bbb\"/>\n";
        o += "<rect x=\"" + num("%.1f", memX) + "\" y=\"" + num("%.1f", y + 3) + "\" width=\"" +
             num("%.1f", memW * frac) + "\" height=\"" + num("%.0f", rowH - 6) +
             "\" fill=\"#b279a2\"/>\n";
        o += "<text x=\"" + num("%.1f", memX + memW + 6) + "\" y=\"" + num("%.1f", y + 17) +
             "\" font-size=\"12\" fill=\"#222\">" + fmtGB(p.memoryBytes) + " GB</text>\n";
    }
    const char* names[] = {"compute", "bubble", "TP comm", "PP comm", "DP comm"};
    double lx = 20;
    const double ly = height - 30;
    for (int k = 0; k < 5; ++k) {
        o += "<rect x=\"" + num("%.0f", lx) + "\" y=\"" + num("%.0f", ly) +
             "\" width=\"14\" height=\"14\" fill=\"" + colors[k] + "\"/>\n<text x=\"" +
             num("%.0f", lx + 20) + "\" y=\"" + num("%.0f", ly + 12) +
             "\" font-size=\"12\" fill=\"#222\">" + names[k] + "</text>\n";
        lx += 110;
    }
    o += "<rect x=\"" + num("%.0f", lx) + "\" y=\"" + num("%.0f", ly) +
         "\" width=\"14\" height=\"14\" fill=\"#b279a2\"/>\n<text x=\"" + num("%.0f", lx + 20) +
         "\" y=\"" + num("%.0f", ly + 12) +
         "\" font-size=\"12\" fill=\"#222\">memory per GPU</text>\n";
    return o + "</svg>\n";
}

} // namespace

int runPlan(int argc, char** argv) {
    std::string modelArg, clusterArg, svgPath;
    int nodes = 0, topK = 10;
    dist::PlanOptions opt;
    bool json = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") {
            json = true;
            continue;
        }
        if (i + 1 >= argc)
            return fail(a.rfind("--", 0) == 0 ? a + " needs a value"
                                              : "unexpected argument '" + a + "'");
        const std::string v = argv[++i];
        if (a == "--model") {
            modelArg = v;
        } else if (a == "--cluster") {
            clusterArg = v;
        } else if (a == "--svg") {
            svgPath = v;
        } else if (a == "--nodes" || a == "--top") {
            char* end = nullptr;
            const long x = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || x < 1 || x > 100000)
                return fail(a + " '" + v + "': expected a whole number from 1 to 100000");
            (a == "--nodes" ? nodes : topK) = int(x);
        } else if (a == "--plan") {
            int d = 0, t = 0, p = 0;
            char extra = 0;
            if (std::sscanf(v.c_str(), "%d,%d,%d%c", &d, &t, &p, &extra) != 3 || d < 1 || t < 1 ||
                p < 1)
                return fail("--plan '" + v + "': expected DP,TP,PP, three whole numbers ≥ 1");
            opt.dp = d;
            opt.tp = t;
            opt.pp = p;
        } else {
            return fail("unknown option '" + a + "' (see aisyslab plan --help)");
        }
    }
    if (modelArg.empty() || clusterArg.empty())
        return fail("--model FILE|PRESET and --cluster FILE|PRESET are required");
    std::string err, text;
    std::optional<dist::ModelSpec> model = dist::modelPreset(modelArg);
    if (!model) {
        if (!looksLikeFile(modelArg))
            return fail("--model '" + modelArg + "': not a preset (" + dist::modelPresetNames() +
                        ") or a .toml file");
        if (!readFile(modelArg, text))
            return fail("--model '" + modelArg + "': cannot read the file");
        model = dist::parseModelToml(text, modelArg, err);
        if (!model)
            return fail(err);
    }
    std::optional<dist::ClusterSpec> cluster = dist::clusterPreset(clusterArg);
    if (!cluster) {
        if (!looksLikeFile(clusterArg))
            return fail("--cluster '" + clusterArg + "': not a preset (" +
                        dist::clusterPresetNames() + ") or a .toml file");
        if (!readFile(clusterArg, text))
            return fail("--cluster '" + clusterArg + "': cannot read the file");
        cluster = dist::parseClusterToml(text, clusterArg, err);
        if (!cluster)
            return fail(err);
    }
    if (nodes > 0)
        cluster->nodes = nodes;
    dist::PlanReport r;
    try {
        r = dist::planParallelism(*model, *cluster, opt);
    } catch (const std::invalid_argument& e) {
        return fail(e.what());
    }
    const std::size_t shown = std::min<std::size_t>(std::size_t(topK), r.ranked.size());
    const std::vector<dist::Plan> top(r.ranked.begin(), r.ranked.begin() + long(shown));
    if (!svgPath.empty()) {
        if (top.empty())
            return fail("--svg: no plan fits, nothing to draw");
        std::ofstream out(svgPath, std::ios::binary);
        if (!out)
            return fail("--svg '" + svgPath + "': cannot write the file");
        out << svgOf(*model, *cluster, top);
        if (!out)
            return fail("--svg '" + svgPath + "': writing failed");
    }
    std::map<std::string, std::pair<int, std::string>> kinds; // kind → (count, an example)
    for (const auto& p : r.rejected) {
        auto& k = kinds[reasonKind(p.reason)];
        if (k.first++ == 0)
            k.second = p.label() + ": " + p.reason;
    }
    if (json) {
        std::printf("{\"model\": \"%s\", \"cluster\": \"%s\", \"gpus\": %d, \"parameters\": %.6g, "
                    "\"fitting\": %zu, \"rejected\": %zu, \"plans\": [",
                    model->name.c_str(), cluster->name.c_str(), cluster->world(), r.parameters,
                    r.ranked.size(), r.rejected.size());
        for (std::size_t i = 0; i < top.size(); ++i) {
            const auto& p = top[i];
            std::printf("%s{\"dp\": %d, \"tp\": %d, \"pp\": %d, \"micro_batch\": %d, "
                        "\"micro_batches\": %d, \"zero\": %d, \"recompute\": %s, "
                        "\"memory_bytes\": %.6g, \"step\": %.6g, \"compute\": %.6g, "
                        "\"bubble\": %.6g, \"tp_comm\": %.6g, \"pp_comm\": %.6g, "
                        "\"dp_comm\": %.6g, \"tflops_per_gpu\": %.4g}",
                        i ? ", " : "", p.dp, p.tp, p.pp, p.microBatch, p.microBatches, int(p.zero),
                        p.recompute ? "true" : "false", p.memoryBytes, p.step, p.compute, p.bubble,
                        p.tpComm, p.ppComm, p.dpComm, p.tflopsPerGpu);
        }
        std::printf("], \"rejections\": [");
        bool first = true;
        for (const auto& [kind, v] : kinds) {
            std::string ex = v.second;
            for (char& ch : ex)
                if (ch == '"')
                    ch = '\'';
            std::printf("%s{\"count\": %d, \"example\": \"%s\"}", first ? "" : ", ", v.first,
                        ex.c_str());
            first = false;
        }
        std::printf("]}\n");
        return top.empty() ? 1 : 0;
    }
    std::printf("model %s: %d layers, hidden %d, %d heads, seq %d, vocab %d, batch %d — %.4g B "
                "parameters\n",
                model->name.c_str(), model->layers, model->hidden, model->heads, model->seq,
                model->vocab, model->globalBatch, r.parameters / 1e9);
    std::printf("cluster %s: %d nodes x %d GPUs, %s GB each, %.0f TFLOP/s peak at %.0f %%, "
                "%.0f GB/s inside a node, %.0f GB/s across\n\n",
                cluster->name.c_str(), cluster->nodes, cluster->gpusPerNode,
                fmtGB(cluster->memoryBytes).c_str(), cluster->peakFlops / 1e12,
                cluster->efficiency * 100, cluster->intraBw / 1e9, cluster->interBw / 1e9);
    std::printf("%zu plans fit, %zu rejected\n\n", r.ranked.size(), r.rejected.size());
    if (!top.empty()) {
        std::printf("%-4s %-46s %9s %8s %8s %8s %8s %8s %8s %8s\n", "rank", "plan", "step s",
                    "TF/GPU", "mem GB", "compute", "bubble", "TP", "PP", "DP");
        for (std::size_t i = 0; i < top.size(); ++i) {
            const auto& p = top[i];
            std::printf("%-4zu %-46s %9.3f %8.1f %8s %8.3f %8.3f %8.3f %8.3f %8.3f\n", i + 1,
                        p.label().c_str(), p.step, p.tflopsPerGpu, fmtGB(p.memoryBytes).c_str(),
                        p.compute, p.bubble, p.tpComm, p.ppComm, p.dpComm);
        }
    } else {
        std::printf("no plan fits\n");
    }
    if (!kinds.empty()) {
        std::printf("\nrejected, by reason (one example each):\n");
        for (const auto& [kind, v] : kinds)
            std::printf("  %5d  %s\n", v.first, v.second.c_str());
    }
    return top.empty() ? 1 : 0;
}

} // namespace aisys::app::cli
