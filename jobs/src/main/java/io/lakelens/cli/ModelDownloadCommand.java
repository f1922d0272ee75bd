package io.lakelens.cli;

import io.lakelens.models.hub.HubOptions;
import io.lakelens.models.hub.ModelLocator;
import io.lakelens.models.hub.ResolvedModel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a model from the Hugging Face Hub into the cache (resumable, verified) and print its"
                + " folder and model id. Copy the cache ($LAKELENS_HUB_CACHE, default ~/.cache/lakelens/hub) to"
                + " machines without internet.")
public final class ModelDownloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "hf://ORG/NAME[@REV]", description = "The model.")
    String model;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache folder (default: $LAKELENS_HUB_CACHE or ~/.cache/lakelens/hub).")
    java.nio.file.Path cacheDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HubOptions.Builder options = HubOptions.builder().listener((file, done, total) -> {
            if (total > 0 && (done == total || done % (64L << 20) < (1L << 20))) {
                err.printf("%s: %d/%d MB%n", file, done >> 20, total >> 20);
                err.flush();
            }
        });
        if (cacheDir != null) {
            options.cacheDir(cacheDir);
        }
        ResolvedModel resolved = ModelLocator.resolve(model, options.build());
        out.println("folder: " + resolved.folder());
        out.println("model_id: " + resolved.modelId());
        out.flush();
        return 0;
    }
}
