package dev.vtdb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.slf4j.LoggerFactory;

/**
 * Fails an integration test class in which {@link TestServers#CANARY_PASSWORD} (the password every
 * test connection to a local server carries) shows up where a secret must never be: a log line
 * (its formatted message, arguments, MDC, thread name, or the messages and {@code toString()} of
 * its throwable chain), a live thread's name, or the message chain of the exception a test or
 * lifecycle method failed with. Registered for every integration test by JUnit's extension
 * auto-detection, beside {@link PinnedCarrierCheck} and {@link ThreadLeakCheck}.
 *
 * <p>While a class runs, logback's loggers {@code dev.vtdb}, {@code com.zaxxer.hikari}, {@code
 * org.postgresql}, {@code com.mysql} and {@code redis.clients} log at DEBUG into an in-memory
 * appender (which keeps only the lines holding the canary), and pgjdbc's {@code java.util.logging}
 * logger at FINE into a handler doing the same. The appenders configured in {@code
 * logback-test.xml} get a filter that lets through only what their original levels let through,
 * so the console is not flooded; levels and filters are restored after the class. Live threads,
 * virtual ones included, are read from a JSON thread dump after every test and after the class.
 */
public final class SecretLeakCheck
        implements BeforeAllCallback,
                AfterEachCallback,
                AfterAllCallback,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SecretLeakCheck.class);

    /** The loggers captured at DEBUG while a class runs. */
    static final List<String> CAPTURED_LOGGERS =
            List.of("dev.vtdb", "com.zaxxer.hikari", "org.postgresql", "com.mysql", "redis.clients");

    /** The {@code java.util.logging} loggers captured at FINE (pgjdbc logs there, not to SLF4J). */
    static final List<String> CAPTURED_JUL_LOGGERS = List.of("org.postgresql");

    private static final String MASK = "<CANARY>";
    private static final ReentrantLock INSTALL = new ReentrantLock();
    private static final AtomicLong DUMPS = new AtomicLong();
    private static Capture active;

    @Override
    public void beforeAll(ExtensionContext context) {
        INSTALL.lock();
        try {
            if (active == null) { // a @Nested class runs inside its outer class's capture
                active = Capture.start();
                context.getStore(NS).put("capture", active);
            }
        } finally {
            INSTALL.unlock();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Capture capture = active;
        if (capture != null) {
            capture.leaks.addAll(liveThreadLeaks().stream()
                    .map(l -> "after " + context.getDisplayName() + ": " + l)
                    .toList());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Capture capture = context.getStore(NS).remove("capture", Capture.class);
        if (capture == null) {
            return;
        }
        List<String> leaks;
        INSTALL.lock();
        try {
            capture.leaks.addAll(liveThreadLeaks());
            leaks = capture.stop();
            active = null;
        } finally {
            INSTALL.unlock();
        }
        assertThat(leaks)
                .as(
                        "places where the canary password %s showed up while %s ran (%d log events captured)",
                        MASK, context.getDisplayName(), capture.events())
                .isEmpty();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw reportIfLeaked(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw reportIfLeaked(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw reportIfLeaked(throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw reportIfLeaked(throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw reportIfLeaked(throwable);
    }

    /**
     * Returns the failure to report for a test's failure: the failure itself, or, when the canary
     * appears in its message chain, an {@link AssertionError} saying so with the failure as its
     * cause.
     *
     * @param failure what the test threw
     * @return what to rethrow
     */
    public static Throwable reportIfLeaked(Throwable failure) {
        List<String> leaks = leaksIn(failure);
        if (leaks.isEmpty()) {
            return failure;
        }
        return new AssertionError(
                "the test failed with an exception whose message chain holds the canary password " + MASK
                        + " (a secret leaked into an exception message or toString()): " + leaks,
                failure);
    }

    /**
     * Lists where the canary appears in a throwable's chain: messages and {@code toString()} of
     * the throwable, its causes and its suppressed exceptions.
     *
     * @param t a throwable, possibly {@code null}
     * @return one entry per throwable that holds it, the canary masked; empty when none does
     */
    public static List<String> leaksIn(Throwable t) {
        List<String> out = new ArrayList<>();
        collect(t, Collections.newSetFromMap(new IdentityHashMap<>()), out);
        return out;
    }

    private static void collect(Throwable t, Set<Throwable> seen, List<String> out) {
        if (t == null || !seen.add(t)) {
            return;
        }
        String text;
        try {
            text = t + " | " + t.getMessage() + " | " + t.getLocalizedMessage();
        } catch (RuntimeException e) {
            text = t.getClass().getName() + " (toString failed: " + e + ")";
        }
        if (holdsCanary(text)) {
            out.add(t.getClass().getName() + ": " + mask(String.valueOf(t.getMessage())));
        }
        collect(t.getCause(), seen, out);
        for (Throwable s : t.getSuppressed()) {
            collect(s, seen, out);
        }
    }

    /**
     * Lists the live threads (platform and virtual) whose name holds the canary, from a JSON
     * thread dump of the whole JVM.
     *
     * @return one entry per finding, the canary masked; empty when there is none
     */
    public static List<String> liveThreadLeaks() {
        String dump = threadDump();
        if (!holdsCanary(dump)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String line : dump.split("\n")) {
            if (holdsCanary(line)) {
                out.add("live thread: " + mask(line.strip().replace("\\/", "/")));
            }
        }
        return out;
    }

    private static String threadDump() {
        try {
            Path dir = Files.createTempDirectory("vtdb-thread-dump-");
            Path file = dir.resolve("threads-" + DUMPS.incrementAndGet() + ".json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return Files.readString(file, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take a thread dump to look for the canary in thread names", e);
        }
    }

    static boolean holdsCanary(String text) {
        return text != null && text.contains(TestServers.CANARY_PASSWORD);
    }

    static String mask(String text) {
        return text.replace(TestServers.CANARY_PASSWORD, MASK);
    }

    /** Describes where the canary appears in a log event, or returns {@code null} when it does not. */
    static String leakIn(ILoggingEvent e) {
        List<String> where = new ArrayList<>();
        if (holdsCanary(e.getFormattedMessage())) {
            where.add("message '" + mask(e.getFormattedMessage()) + "'");
        }
        Object[] args = e.getArgumentArray();
        if (args != null) {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i] instanceof Throwable ? null : String.valueOf(args[i]);
                if (holdsCanary(arg)) {
                    where.add("argument " + i + " '" + mask(arg) + "'");
                }
            }
        }
        if (holdsCanary(e.getThreadName())) {
            where.add("thread name '" + mask(e.getThreadName()) + "'");
        }
        for (Map.Entry<String, String> m : e.getMDCPropertyMap().entrySet()) {
            if (holdsCanary(m.getKey()) || holdsCanary(m.getValue())) {
                where.add("MDC " + mask(m.getKey()) + "='" + mask(String.valueOf(m.getValue())) + "'");
            }
        }
        collect(e.getThrowableProxy(), Collections.newSetFromMap(new IdentityHashMap<>()), where);
        if (where.isEmpty()) {
            return null;
        }
        return "log " + e.getLevel() + " " + e.getLoggerName() + " [" + mask(e.getThreadName()) + "]: "
                + String.join("; ", where);
    }

    private static void collect(IThrowableProxy t, Set<IThrowableProxy> seen, List<String> out) {
        if (t == null || !seen.add(t)) {
            return;
        }
        if (holdsCanary(t.getClassName() + ": " + t.getMessage())) {
            out.add("throwable " + t.getClassName() + ": " + mask(String.valueOf(t.getMessage())));
        }
        collect(t.getCause(), seen, out);
        if (t.getSuppressed() != null) {
            for (IThrowableProxy s : t.getSuppressed()) {
                collect(s, seen, out);
            }
        }
    }

    /** Describes where the canary appears in a JUL record, or returns {@code null} when it does not. */
    static String leakIn(LogRecord r) {
        List<String> where = new ArrayList<>();
        String message;
        try {
            message = new SimpleFormatter().formatMessage(r);
        } catch (RuntimeException e) {
            message = r.getMessage();
        }
        if (holdsCanary(message) || holdsCanary(r.getMessage())) {
            where.add("message '" + mask(String.valueOf(message)) + "'");
        }
        if (r.getParameters() != null) {
            for (int i = 0; i < r.getParameters().length; i++) {
                String p = String.valueOf(r.getParameters()[i]);
                if (holdsCanary(p)) {
                    where.add("parameter " + i + " '" + mask(p) + "'");
                }
            }
        }
        where.addAll(leaksIn(r.getThrown()));
        if (where.isEmpty()) {
            return null;
        }
        return "java.util.logging " + r.getLevel() + " " + r.getLoggerName() + ": " + String.join("; ", where);
    }

    /**
     * Capture of the log output of one test class: started by {@link #start()}, ended by {@link
     * #stop()}, which restores levels and appenders and returns what was found.
     */
    public static final class Capture {
        private final LoggerContext context;
        private final Logger root;
        private final Map<String, Level> savedLevels = new LinkedHashMap<>();
        private final Map<Appender<ILoggingEvent>, List<Filter<ILoggingEvent>>> savedFilters = new LinkedHashMap<>();
        private final List<java.util.logging.Logger> julLoggers = new ArrayList<>(); // strong refs keep their level
        private final List<java.util.logging.Level> julSaved = new ArrayList<>();
        private final CaptureAppender appender = new CaptureAppender(this);
        private final CaptureHandler handler = new CaptureHandler(this);
        private final List<String> leaks = new CopyOnWriteArrayList<>();
        private final AtomicLong events = new AtomicLong();

        private Capture() {
            this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
            this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        }

        /**
         * Starts capturing: DEBUG on the captured loggers, FINE on pgjdbc's JUL logger, the
         * console and other configured appenders filtered to their original levels.
         *
         * @return the running capture
         */
        public static Capture start() {
            Capture c = new Capture();
            c.install();
            return c;
        }

        private void install() {
            // the root's level too: the console keeps its configured level even if a test lowers it
            savedLevels.put(org.slf4j.Logger.ROOT_LOGGER_NAME, root.getLevel());
            for (String name : CAPTURED_LOGGERS) {
                savedLevels.put(name, context.getLogger(name).getLevel());
            }
            Filter<ILoggingEvent> gate = new OriginalLevelGate(this);
            gate.start();
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> a = it.next();
                savedFilters.put(a, a.getCopyOfAttachedFiltersList());
                a.addFilter(gate);
            }
            appender.setContext(context);
            appender.setName("vtdb-secret-leak-check");
            appender.start();
            root.addAppender(appender);
            for (String name : CAPTURED_LOGGERS) {
                context.getLogger(name).setLevel(Level.DEBUG);
            }
            for (String name : CAPTURED_JUL_LOGGERS) {
                java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
                julLoggers.add(jul);
                julSaved.add(jul.getLevel());
                jul.addHandler(handler);
                jul.setLevel(java.util.logging.Level.FINE);
            }
        }

        /**
         * Stops capturing and restores levels, filters and appenders.
         *
         * @return where the canary was found, masked; empty when nowhere
         */
        public List<String> stop() {
            for (Map.Entry<String, Level> e : savedLevels.entrySet()) {
                context.getLogger(e.getKey()).setLevel(e.getValue());
            }
            for (int i = 0; i < julLoggers.size(); i++) {
                julLoggers.get(i).setLevel(julSaved.get(i));
                julLoggers.get(i).removeHandler(handler);
            }
            root.detachAppender(appender);
            appender.stop();
            for (Map.Entry<Appender<ILoggingEvent>, List<Filter<ILoggingEvent>>> e : savedFilters.entrySet()) {
                e.getKey().clearAllFilters();
                e.getValue().forEach(e.getKey()::addFilter);
            }
            return List.copyOf(leaks);
        }

        /**
         * Returns how many log events and records were captured.
         *
         * @return the count
         */
        public long events() {
            return events.get();
        }

        /** The level a logger had before the capture raised the captured loggers to DEBUG. */
        Level originalLevel(String loggerName) {
            String name = loggerName;
            while (true) {
                Level level;
                if (savedLevels.containsKey(name)) {
                    level = savedLevels.get(name);
                } else {
                    Logger existing = context.exists(name);
                    level = existing == null ? null : existing.getLevel();
                }
                if (level != null) {
                    return level;
                }
                if (name.equals(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
                    return Level.DEBUG;
                }
                int dot = name.lastIndexOf('.');
                name = dot < 0 ? org.slf4j.Logger.ROOT_LOGGER_NAME : name.substring(0, dot);
            }
        }

        void record(String leak) {
            events.incrementAndGet();
            if (leak != null) {
                leaks.add(leak);
            }
        }
    }

    /** Keeps nothing but the description of events that hold the canary. */
    private static final class CaptureAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
        private final Capture capture;

        CaptureAppender(Capture capture) {
            this.capture = capture;
        }

        @Override
        protected void append(ILoggingEvent event) {
            capture.record(leakIn(event));
        }
    }

    /** The same for pgjdbc's {@code java.util.logging} records. */
    private static final class CaptureHandler extends Handler {
        private final Capture capture;

        CaptureHandler(Capture capture) {
            this.capture = capture;
        }

        @Override
        public void publish(LogRecord r) {
            capture.record(leakIn(r));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** Lets an event through a configured appender only when its logger's original level did. */
    private static final class OriginalLevelGate extends Filter<ILoggingEvent> {
        private final Capture capture;

        OriginalLevelGate(Capture capture) {
            this.capture = capture;
        }

        @Override
        public FilterReply decide(ILoggingEvent event) {
            return event.getLevel().isGreaterOrEqual(capture.originalLevel(event.getLoggerName()))
                    ? FilterReply.NEUTRAL
                    : FilterReply.DENY;
        }
    }
}
