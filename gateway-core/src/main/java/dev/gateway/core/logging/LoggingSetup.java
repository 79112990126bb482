package dev.gateway.core.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.gateway.config.LoggingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures logback from {@code [logging]}: the application log (console on stderr, or a
 * size-rotated file) and the access log (stdout or a file), each behind an async appender that
 * never blocks the caller, so an event loop never waits on a disk or a pipe.
 *
 * <p>A user's own {@code -Dlogback.configurationFile} takes precedence: then nothing is changed.
 */
public final class LoggingSetup {

    private static final int QUEUE_SIZE = 8192;
    /** The application log as text: ISO time with offset, level, thread, logger, message. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    private LoggingSetup() {
    }

    public static void apply(LoggingConfig config) {
        if (System.getProperty("logback.configurationFile") != null
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.level(), Level.INFO));
        Encoder<ILoggingEvent> appEncoder = config.format() == LoggingConfig.LogFormat.JSON
                ? json()
                : pattern(TEXT_PATTERN);
        OutputStreamAppender<ILoggingEvent> appTarget = config.file()
                .map(file -> rolling(file, config))
                .orElseGet(() -> console(true));
        root.addAppender(async("app", appTarget, appEncoder, context));
        context.getLogger("io.netty").setLevel(Level.toLevel(config.level(), Level.INFO).isGreaterOrEqual(Level.INFO)
                ? Level.WARN : Level.toLevel(config.level()));

        ch.qos.logback.classic.Logger access = context.getLogger(AccessLog.LOGGER);
        access.setAdditive(false);
        access.setLevel(config.accessLogEnabled() ? Level.INFO : Level.OFF);
        if (config.accessLogEnabled()) {
            OutputStreamAppender<ILoggingEvent> accessTarget = "stdout".equals(config.accessLog())
                    ? console(false)
                    : rolling(config.accessLog(), config);
            access.addAppender(async("access", accessTarget, pattern("%msg%n"), context));
        }
    }

    /** Drains the async queues; called before the process exits so no line is lost. */
    public static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        }
    }

    /** One JSON object per line with the formatted message, without logback's internal bookkeeping fields. */
    private static JsonEncoder json() {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        return encoder;
    }

    static PatternLayoutEncoder pattern(String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setPattern(pattern);
        return encoder;
    }

    static OutputStreamAppender<ILoggingEvent> console(boolean stderr) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setTarget(stderr ? "System.err" : "System.out");
        return console;
    }

    private static OutputStreamAppender<ILoggingEvent> rolling(String file, LoggingConfig config) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setFile(file);
        FixedWindowRollingPolicy policy = new FixedWindowRollingPolicy();
        policy.setFileNamePattern(file + ".%i.gz");
        policy.setMinIndex(1);
        policy.setMaxIndex(config.maxHistory());
        policy.setParent(appender);
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setMaxFileSize(new FileSize(config.maxFileSize()));
        // logback looks at the file size once a minute by default: a busy access log could overshoot
        // max_file_size by a minute of traffic. One stat call a second is nothing.
        trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildBySeconds(1));
        appender.setRollingPolicy(policy);
        appender.setTriggeringPolicy(trigger);
        return appender;
    }

    private static Appender<ILoggingEvent> async(String name, OutputStreamAppender<ILoggingEvent> target,
                                                 Encoder<ILoggingEvent> encoder, LoggerContext context) {
        target.setName(name + "-target");
        if (target instanceof RollingFileAppender) {
            RollingFileAppender<ILoggingEvent> rolling = (RollingFileAppender<ILoggingEvent>) target;
            ((FixedWindowRollingPolicy) rolling.getRollingPolicy()).setContext(context);
            rolling.getRollingPolicy().start();
            ((SizeBasedTriggeringPolicy<ILoggingEvent>) rolling.getTriggeringPolicy()).setContext(context);
            rolling.getTriggeringPolicy().start();
        }
        startWith(target, encoder, context);
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName(name);
        async.setQueueSize(QUEUE_SIZE);
        async.setDiscardingThreshold(0);        // keep INFO lines (access log) until the queue is truly full
        async.setNeverBlock(true);              // ...and then drop rather than stall an event loop
        async.setMaxFlushTime(AsyncAppenderBase.DEFAULT_MAX_FLUSH_TIME);
        async.addAppender(target);
        async.start();
        return async;
    }

    /** Starts {@code target} writing through {@code encoder}, both in {@code context}. */
    static void startWith(OutputStreamAppender<ILoggingEvent> target, Encoder<ILoggingEvent> encoder,
                          LoggerContext context) {
        encoder.setContext(context);
        encoder.start();
        target.setContext(context);
        target.setEncoder(encoder);
        target.start();
    }
}
