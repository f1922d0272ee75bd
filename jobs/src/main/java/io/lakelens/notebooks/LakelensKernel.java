package io.lakelens.notebooks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;

/**
 * The Java kernel of the lakelens notebooks: DFLib JJava's Jupyter protocol layer
 * ({@code org.dflib.jjava:jjava-jupyter}, from Maven Central) over a JShell that runs cells in this
 * JVM. Everything on this JVM's classpath (lakelens, Spark, Delta) is importable without setup, so
 * a notebook's Spark session lives as long as the kernel; {@code %classpath PATHS} and
 * {@code %jars PATHS} add more. Cells run in-process, so objects can be handed to Spark SQL but
 * lambdas defined in a cell should not be shipped to Spark tasks.
 */
public final class LakelensKernel extends BaseKernel {

    /** Name of the kernel spec folder and of the kernel in notebooks' metadata. */
    public static final String KERNEL_NAME = "lakelens-java";
    public static final String DISPLAY_NAME = "Java (lakelens)";

    private static final Pattern CLASSPATH_MAGIC = Pattern.compile("(?m)^[ \\t]*%(classpath|jars)[ \\t]+(.*)$");
    private static final Pattern ANY_MAGIC = Pattern.compile("(?m)^[ \\t]*%%?([\\w-]+)");

    private final JShell shell;

    private LakelensKernel(Builder b, JShell shell) {
        super(b.name(), b.version(), languageInfo(), List.of(new HelpLink("lakelens notebooks", "notebooks/README.md")),
                b.history(), b.io(), b.comms(), b.renderer(), b.magicParser(), b.magics(), false, b.errorStyler());
        this.shell = shell;
    }

    /** Starts the kernel on the Jupyter connection file given by Jupyter ({@code {connection_file}}). */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LakelensKernel CONNECTION_FILE");
            System.exit(2);
        }
        run(Path.of(args[0]));
    }

    /** Serves Jupyter on the connection file until the kernel is shut down. */
    public static void run(Path connectionFile) throws Exception {
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(props);
        LakelensKernel kernel = create();
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        kernel.shell.close();
    }

    /** A kernel whose JShell sees this JVM's classpath. */
    public static LakelensKernel create() {
        JShell shell = JShell.builder()
                .executionEngine("local")
                .out(System.out)
                .err(System.err)
                .build();
        shell.addToClasspath(System.getProperty("java.class.path"));
        return new LakelensKernel(new Builder(), shell);
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("text/x-java")
                .build();
    }

    /** The classpath magics ({@code %classpath a.jar:dir}, {@code %jars a.jar b.jar}), then the Java. */
    @Override
    public Object evalRaw(String source) {
        Matcher m = CLASSPATH_MAGIC.matcher(source);
        StringBuilder rest = new StringBuilder();
        while (m.find()) {
            addToClasspath(m.group(1), m.group(2).trim());
            m.appendReplacement(rest, "");
        }
        m.appendTail(rest);
        String code = rest.toString();
        Matcher other = ANY_MAGIC.matcher(code);
        if (other.find()) {
            throw new NotebookError(List.of("unknown magic %" + other.group(1) + ": this kernel knows %classpath and %jars"));
        }
        return evalJava(code);
    }

    private void addToClasspath(String magic, String args) {
        String sep = magic.equals("jars") ? "\\s+" : Pattern.quote(File.pathSeparator) + "|\\s+";
        for (String part : args.split(sep)) {
            if (part.isBlank()) {
                continue;
            }
            Path p = Path.of(part.replaceFirst("^~", System.getProperty("user.home")));
            if (!Files.exists(p)) {
                throw new NotebookError(List.of("%" + magic + ": " + p + " does not exist"));
            }
            shell.addToClasspath(p.toAbsolutePath().toString());
        }
    }

    private Object evalJava(String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        Object last = null;
        while (info.completeness().isComplete()) {
            last = evalSnippet(info.source());
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            throw new NotebookError(List.of("incomplete Java at the end of the cell:", info.remaining().trim()));
        }
        return last;
    }

    private Object evalSnippet(String source) {
        List<SnippetEvent> events = shell.eval(source);
        Object value = null;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue; // a dependent snippet updated because of this one
            }
            JShellException ex = e.exception();
            if (ex != null) {
                throw new NotebookError(runtimeError(ex));
            }
            if (e.status() == Snippet.Status.REJECTED || !e.status().isDefined()) {
                throw new NotebookError(compileErrors(e.snippet()));
            }
            Snippet.SubKind kind = e.snippet().subKind();
            if (kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || kind == Snippet.SubKind.VAR_VALUE_SUBKIND) {
                value = e.value();
            } else {
                value = null;
            }
        }
        return value;
    }

    private List<String> compileErrors(Snippet snippet) {
        List<String> lines = new ArrayList<>();
        for (Diag d : shell.diagnostics(snippet).collect(Collectors.toList())) {
            String src = snippet.source();
            int start = (int) Math.max(0, d.getStartPosition());
            int lineNo = 1 + (int) src.substring(0, Math.min(start, src.length())).chars().filter(c -> c == '\n').count();
            String line = src.lines().skip(lineNo - 1).findFirst().orElse("");
            lines.add("error: " + d.getMessage(null).lines().filter(l -> !l.trim().startsWith("location:"))
                    .collect(Collectors.joining(" ")));
            lines.add("  | " + line.stripTrailing());
        }
        if (lines.isEmpty()) {
            shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) snippet)
                    .forEach(dep -> lines.add("error: cannot find " + dep));
        }
        if (lines.isEmpty()) {
            lines.add("error: the snippet was rejected: " + snippet.source().strip());
        }
        return lines;
    }

    private List<String> runtimeError(JShellException ex) {
        List<String> lines = new ArrayList<>();
        if (ex instanceof EvalException ee) {
            lines.add(ee.getExceptionClassName() + (ee.getMessage() == null ? "" : ": " + ee.getMessage()));
            for (StackTraceElement el : ee.getStackTrace()) {
                lines.add("\tat " + el);
            }
            Throwable cause = ee.getCause();
            while (cause != null) {
                lines.add("Caused by: " + (cause instanceof EvalException c ? c.getExceptionClassName() + ": " + c.getMessage()
                        : cause.toString()));
                cause = cause.getCause();
            }
        } else if (ex instanceof UnresolvedReferenceException ure) {
            lines.add("error: " + ure.getSnippet().source().strip() + " uses something not defined: "
                    + shell.unresolvedDependencies(ure.getSnippet()).collect(Collectors.joining(", ")));
        } else {
            lines.add(ex.toString());
        }
        return lines;
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof NotebookError ne) {
            return ne.lines;
        }
        return super.formatError(e);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, at, true);
        if (docs == null || docs.isEmpty()) {
            return null;
        }
        return new DisplayData(docs.stream()
                .map(d -> d.signature() + (d.javadoc() == null ? "" : "\n" + d.javadoc()))
                .collect(Collectors.joining("\n\n")));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> s = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        if (s == null || s.isEmpty()) {
            return null;
        }
        return new ReplacementOptions(s.stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct()
                .collect(Collectors.toList()), anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case UNKNOWN -> IS_COMPLETE_BAD;
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
            default -> "";
        };
    }

    @Override
    public void interrupt() {
        shell.stop();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        shell.close();
    }

    /** A cell error, already formatted for the notebook. */
    static final class NotebookError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient List<String> lines;

        NotebookError(List<String> lines) {
            super(String.join("\n", lines));
            this.lines = List.copyOf(lines);
        }
    }

    /** Exposes {@link BaseKernelBuilder}'s defaults (IO, renderer, comms, history, error styling). */
    private static final class Builder extends BaseKernelBuilder<Builder, LakelensKernel> {
        Builder() {
            name(DISPLAY_NAME);
            version(Builder.class.getPackage().getImplementationVersion() == null ? "dev"
                    : Builder.class.getPackage().getImplementationVersion());
        }

        @Override
        public LakelensKernel build() {
            throw new UnsupportedOperationException("use LakelensKernel.create()");
        }

        String name() {
            return buildName();
        }

        String version() {
            return buildVersion();
        }

        org.dflib.jjava.jupyter.kernel.history.HistoryManager history() {
            return buildHistoryManager();
        }

        org.dflib.jjava.jupyter.kernel.JupyterIO io() {
            return buildJupyterIO(buildJupyterIOEncoding());
        }

        org.dflib.jjava.jupyter.kernel.comm.CommManager comms() {
            return buildCommManager();
        }

        org.dflib.jjava.jupyter.kernel.display.Renderer renderer() {
            return buildRenderer();
        }

        MagicParser magicParser() {
            return new MagicParser("(?<=(?:^|=))\\s*%", "%%", buildMagicTranspiler());
        }

        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() {
            return buildMagicsRegistry();
        }

        org.dflib.jjava.jupyter.kernel.util.StringStyler errorStyler() {
            return buildErrorStyler();
        }
    }
}
