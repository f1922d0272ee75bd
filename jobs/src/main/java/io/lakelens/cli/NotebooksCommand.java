package io.lakelens.cli;

import io.lakelens.notebooks.KernelSpec;
import io.lakelens.notebooks.LakelensKernel;
import io.lakelens.notebooks.Notebook;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "notebooks", mixinStandardHelpOptions = true,
        description = "Jupyter notebooks in Java: install the lakelens kernel, then open notebooks/ with Jupyter.",
        subcommands = {NotebooksCommand.InstallKernel.class, NotebooksCommand.Kernel.class})
public final class NotebooksCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: install-kernel");
    }

    @Command(name = "install-kernel", mixinStandardHelpOptions = true,
            description = "Installs the 'Java (lakelens)' Jupyter kernel for this user (or into --jupyter-dir):"
                    + " a kernel.json that starts the kernel through this repository's ./lakelens launcher,"
                    + " with the lakelens classes, Spark and Delta on its classpath.")
    static final class InstallKernel implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--jupyter-dir", paramLabel = "DIR",
                description = "Jupyter data folder to install into (default: $JUPYTER_DATA_DIR or ~/.local/share/jupyter);"
                        + " the kernel goes to DIR/kernels/" + LakelensKernel.KERNEL_NAME + ".")
        Path jupyterDir;

        @Override
        public Integer call() throws Exception {
            String home = System.getenv("LAKELENS_HOME");
            if (home == null || home.isBlank()) {
                throw new ParameterException(spec.commandLine(),
                        "run this through the launcher (./lakelens notebooks install-kernel): it needs LAKELENS_HOME");
            }
            GlobalOptions global = LakelensCli.globalOptions(spec);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("LAKELENS_HOME", home);
            String wh = global.warehouse;
            if (wh != null) {
                env.put(Notebook.WAREHOUSE_ENV, Path.of(wh).isAbsolute() || wh.contains("://") ? wh
                        : Path.of(wh).toAbsolutePath().normalize().toString());
            }
            Path dir = KernelSpec.viaLauncher(Path.of(home), env)
                    .install(jupyterDir != null ? jupyterDir : KernelSpec.userDataDir());
            PrintWriter out = spec.commandLine().getOut();
            out.println("installed kernel '" + LakelensKernel.DISPLAY_NAME + "' in " + dir);
            out.println("open the notebooks with: jupyter notebook " + Path.of(home).resolve("notebooks"));
            out.flush();
            return 0;
        }
    }

    @Command(name = "kernel", hidden = true, mixinStandardHelpOptions = true, description = "Runs the kernel on a Jupyter connection file (Jupyter starts this).")
    static final class Kernel implements Callable<Integer> {

        @Parameters(paramLabel = "CONNECTION_FILE")
        Path connectionFile;

        @Override
        public Integer call() throws Exception {
            LakelensKernel.run(connectionFile);
            return 0;
        }
    }
}
