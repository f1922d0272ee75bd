package io.lakelens.cli;

import io.lakelens.finetune.bench.FinetuneBenchmark;
import io.lakelens.jobs.bench.EmbedPipelineBenchmark;
import io.lakelens.jobs.spark.LakelensSession;
import io.lakelens.jobs.spark.SessionOptions;
import io.lakelens.models.bench.BlipBenchmark;
import io.lakelens.models.bench.ClipBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakelens bench ...}: benchmark programs that print numbers (compare on a quiet machine). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks at real model sizes with random weights; they print what they measure here"
                + " (with the load average), to compare on a quiet machine.",
        subcommands = {BenchCommand.Clip.class, BenchCommand.Blip.class, BenchCommand.Embed.class, BenchCommand.Finetune.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: clip, blip, embed or finetune");
    }

    @Command(name = "clip", mixinStandardHelpOptions = true,
            description = "CLIP ViT-B/32 model throughput (images and texts per second, MFU) on CPU.")
    static final class Clip implements Callable<Integer> {
        @Parameters(arity = "0..3", paramLabel = "ARG",
                description = "[threads,...] [runs] [peakGflops], default 2,1 7 and the matmul peak measured first")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            ClipBenchmark.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "blip", mixinStandardHelpOptions = true,
            description = "BLIP-base greedy captioning, seconds per image, on CPU.")
    static final class Blip implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "ARG", description = "Arguments of BlipBenchmark (see its --help).")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            BlipBenchmark.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "finetune", mixinStandardHelpOptions = true,
            description = "Contrastive training steps of CLIP ViT-B/32 (random weights, CPU): images/s and peak memory.")
    static final class Finetune implements Callable<Integer> {
        @Parameters(arity = "0..3", paramLabel = "ARG", description = "[steps] [batch] [micro-batch], default 3 32 0 (whole batch)")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            FinetuneBenchmark.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "The embed job end to end (ingest, then embed with CLIP ViT-B/32 random weights) in Spark"
                    + " local mode on a scratch warehouse, next to the model-only speed at the same batch size.",
            footer = {"", "A few thousand images: data-samples/build-large-set.sh /tmp/large 3000, then",
                    "  lakelens bench embed --images /tmp/large/manifest.jsonl"})
    static final class Embed implements Callable<Integer> {
        @Option(names = "--images", required = true, paramLabel = "DIR|MANIFEST",
                description = "Images to embed: a folder or a manifest as ingest takes it.")
        Path images;

        @Option(names = "--batch-size", defaultValue = "32", description = "Images per model call (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--model-runs", defaultValue = "5", description = "Timed model-only batches (default: ${DEFAULT-VALUE}).")
        int modelRuns;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.exists(images)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--images " + images + ": no such file or folder");
            }
            Path work = Files.createTempDirectory("lakelens-bench-");
            GlobalOptions global = LakelensCli.globalOptions(spec);
            SessionOptions options = new SessionOptions("lakelens bench embed", work.resolve("warehouse").toString(),
                    global.master, global.conf);
            try (LakelensSession session = LakelensSession.start(options)) {
                new EmbedPipelineBenchmark(session, System.out).run(images, work, batchSize, modelRuns);
            }
            System.out.println("scratch warehouse and checkpoint: " + work);
            return 0;
        }
    }
}
