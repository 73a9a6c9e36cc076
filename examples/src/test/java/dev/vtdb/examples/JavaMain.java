package dev.vtdb.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} of this module in a fresh JVM on the test class path, as a user runs it, to
 * check what it prints and how it exits.
 *
 * @param exitCode the process's exit status
 * @param stdout what it printed to standard output (UTF-8)
 * @param stderr what it printed to standard error
 */
record JavaMain(int exitCode, String stdout, String stderr) {

    /**
     * Runs {@code mainClass} with {@code args} and waits for it, up to four minutes.
     *
     * @param mainClass the class whose {@code main} to run
     * @param args its arguments
     * @return what it printed and its exit status
     */
    static JavaMain run(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dstdout.encoding=UTF-8",
                mainClass.getName()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("vtdb-examples-main-", ".out");
            Path err = Files.createTempFile("vtdb-examples-main-", ".err");
            try {
                Process p = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!p.waitFor(4, TimeUnit.MINUTES)) {
                    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    throw new AssertionError(mainClass.getSimpleName() + " did not exit within 4 minutes");
                }
                return new JavaMain(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + mainClass.getSimpleName(), e);
        }
    }

    /** Shows both streams when an assertion on this run fails. */
    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
