package org.lockstep.manifest.rollout.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command is handled: the machine cannot ignore one it does not know. Java 17 has no switch over sealed
 * records, so {@link Command#handledBy} is the exhaustive form; these tests show it is one.
 */
class CommandHandlingTests {

    private static final Path SOURCES = Path.of("src/main/java/org/lockstep/manifest/rollout/machine");

    @TempDir
    Path tmp;

    @Test
    void everyCommandHasItsOwnHandlerMethodAndNoneHasADefault() {
        List<Method> methods = Arrays.stream(Command.Handler.class.getDeclaredMethods())
                .filter(m -> !m.isSynthetic()).toList();

        assertThat(methods).noneMatch(Method::isDefault).allMatch(m -> Modifier.isAbstract(m.getModifiers()));
        assertThat(methods).extracting(m -> m.getParameterTypes()[0])
                .containsExactlyInAnyOrder(Command.class.getPermittedSubclasses());
    }

    @Test
    void aNewCommandTheMachineDoesNotHandleIsACompileError() throws IOException {
        List<String> errors = compile(command -> command
                .replace("        R cancel(Cancel command);",
                        "        R cancel(Cancel command);\n\n        R freeze(Freeze command);")
                .replace("    /** How a target commit relates", """
                            record Freeze(String actor) implements Command {

                                @Override
                                public <R> R handledBy(Handler<R> handler) {
                                    return handler.freeze(this);
                                }
                            }

                            /** How a target commit relates""".indent(4).substring(4)));

        // The only error is the unhandled command, in the machine: otherwise the sources compile on their own.
        assertThat(errors).singleElement().satisfies(error -> assertThat(error)
                .startsWith("RolloutMachine.java").contains("does not override abstract method freeze"));
    }

    /** Compiles the machine's sources (Command.java edited by {@code edit}); returns the errors. */
    private List<String> compile(UnaryOperator<String> edit) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> sources = Files.list(SOURCES)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source, StandardCharsets.UTF_8);
                Path copy = src.resolve(source.getFileName());
                Files.writeString(copy, source.getFileName().toString().equals("Command.java") ? edit.apply(text)
                        : text, StandardCharsets.UTF_8);
                files.add(copy);
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            // An empty class path: the machine must compile from its own sources and the JDK alone.
            javac.getTask(null, manager, diagnostics, List.of("-d", out.toString(), "-classpath", out.toString(),
                    "--release", "17", "-proc:none"), null, manager.getJavaFileObjectsFromPaths(files)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> Path.of(d.getSource().getName()).getFileName() + ": " + d.getMessage(Locale.ROOT))
                .toList();
    }
}
