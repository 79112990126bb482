package dev.gateway.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logging until {@code [logging]} is applied (and when only validating the config): INFO and up
 * to stderr, Netty at WARN. Found by logback through {@code META-INF/services}, it replaces a
 * {@code logback.xml}, whose XML configurator loads some 600 classes (a quarter of a second of
 * start-up on a small machine) to say the same thing.
 *
 * <p>Steps aside for a user's own {@code -Dlogback.configurationFile} and for a
 * {@code logback-test.xml} on the class path (tests), which logback's own configurator then reads.
 */
public final class BootstrapLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || BootstrapLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        OutputStreamAppender<ILoggingEvent> stderr = LoggingSetup.console(true);
        stderr.setName("STDERR");
        LoggingSetup.startWith(stderr, LoggingSetup.pattern(LoggingSetup.TEXT_PATTERN), context);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        context.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
