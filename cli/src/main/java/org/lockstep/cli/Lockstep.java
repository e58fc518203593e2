package org.lockstep.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lockstep}: sets targets and waits for the fleet, over the manifest's public API only (docs/ci.md). The
 * options here apply to every command and may be given before or after the command's name.
 */
@Command(name = "lockstep", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = Lockstep.Version.class,
        subcommands = {TargetCommand.class, WaitCommand.class, StatusCommand.class, RollbackCommand.class,
            PauseCommand.class, ResumeCommand.class, CancelCommand.class, RetryCommand.class,
            CommandLine.HelpCommand.class},
        description = "Deploy a commit to every host of a repository at once, and wait until they serve it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:complete (every host serves the commit), or the action was done",
            "1:failed: a host failed with a permanent error (each such host is named with its error)",
            "2:usage error, or the manifest refused the input (its problem detail is printed)",
            "3:timed out (the hosts still waited for are named, with since when)",
            "4:superseded by a newer target, or cancelled (by whom, and why)",
            "5:no manifest reachable"},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  " + Lockstep.MANIFEST_ENV + "  manifest URLs, comma-separated (instead of --manifest)",
            "  " + Lockstep.TOKEN_ENV + "          the API token (instead of --token-file)",
            "%nThe token is never printed, not in errors and not with --verbose."})
public final class Lockstep implements Callable<Integer> {

    static final String MANIFEST_ENV = "LOCKSTEP_MANIFEST_URLS";

    static final String TOKEN_ENV = "LOCKSTEP_TOKEN";

    @Option(names = "--manifest", split = ",", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Manifest URLs, tried in order until one answers (default: $" + MANIFEST_ENV + ").")
    private List<String> manifests;

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Read the API token from FILE (default: $" + TOKEN_ENV + "). Reads need no token.")
    private Path tokenFile;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print machine-readable events, one JSON object per line, on stdout.")
    private boolean json;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Trace every request on stderr (never the token).")
    private boolean verbose;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;

    private final PrintWriter out;

    private final PrintWriter err;

    private final boolean terminal;

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    private Output output;

    private ManifestClient client;

    Lockstep(Map<String, String> environment, PrintWriter out, PrintWriter err, boolean terminal) {
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(execute(System.getenv(), out, err, System.console() != null, args));
    }

    /** Runs one command line; returns its exit code (see {@link ExitCode}). */
    static int execute(Map<String, String> environment, PrintWriter out, PrintWriter err, boolean terminal,
                       String... args) {
        Lockstep root = new Lockstep(environment, out, err, terminal);
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.registerConverter(Duration.class, new DurationConverter());
        commandLine.setExecutionExceptionHandler(root::failed);
        commandLine.setParameterExceptionHandler(root::misused);
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return ExitCode.REFUSED.code();
    }

    Output output() {
        if (output == null) {
            output = new Output(out, err, mapper, json, terminal, verbose);
        }
        return output;
    }

    /** The API client; {@code write} commands need a token and fail before any request without one. */
    ManifestClient client(boolean write) {
        if (client == null) {
            Output output = output();
            List<URI> urls = new ManifestUrls(environment).resolve(manifests);
            String token = new TokenSource(environment).read(tokenFile);
            output.secret(token);
            output.verbose("manifests " + urls + (token == null ? ", no token" : ", token "
                    + (tokenFile != null ? "from " + tokenFile : "from $" + TOKEN_ENV)));
            client = new ManifestClient(urls, token, mapper, output);
        }
        if (write && !client.hasToken()) {
            throw new CliFailure(ExitCode.REFUSED, "this command changes state and needs a token: set $"
                    + TOKEN_ENV + " or give --token-file");
        }
        return client;
    }

    Waiter waiter(WaitOptions options) {
        return new Waiter(client(false), output(), Clock.systemUTC(), options.pollInterval());
    }

    private int failed(Exception ex, CommandLine commandLine, ParseResult parsed) {
        Output output = output();
        if (ex instanceof CliFailure failure) {
            output.event(failure.exitCode().word(), Output.fields("exitCode", failure.exitCode().code(),
                    "message", failure.getMessage()));
            output.problem("lockstep: " + failure.exitCode().word() + ": " + failure.getMessage());
            return failure.exitCode().code();
        }
        output.problem("lockstep: internal error: " + ex);
        if (verbose) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            output.problem(trace.toString());
        }
        return ExitCode.FAILED.code();
    }

    private int misused(ParameterException ex, String[] args) {
        Output output = output();
        output.event(ExitCode.REFUSED.word(), Output.fields("exitCode", ExitCode.REFUSED.code(),
                "message", ex.getMessage()));
        output.problem("lockstep: " + ex.getMessage());
        output.problem("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return ExitCode.REFUSED.code();
    }

    static String version() {
        String version = Lockstep.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** {@code lockstep --version}: the version of the jar. */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            return new String[] {"lockstep " + version()};
        }
    }
}
