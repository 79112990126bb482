package dev.gateway.core;

import dev.gateway.config.ConfigException;
import dev.gateway.config.ConfigProblem;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.logging.LoggingSetup;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code java -jar gateway.jar [--config FILE] [--check] [--version] [--help]}.
 *
 * <p>Exit codes: 0 stopped cleanly (SIGTERM/SIGINT included) or config valid; 1 could not start
 * (e.g. address in use); 2 invalid configuration or command line.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_INVALID = 2;

    private static final String USAGE = String.join("\n",
            "usage: gateway [--config FILE] [--check] [--version] [--help]",
            "",
            "  --config FILE  configuration file (default: app_config.toml in the working directory)",
            "  --check        validate the configuration, print a summary or every problem, and exit",
            "  --version      print the version and exit",
            "  --help         print this help and exit",
            "",
            "signals: SIGTERM/SIGINT stop after draining in-flight requests; SIGHUP reloads the configuration",
            "exit codes: 0 ok, 1 could not start, 2 invalid configuration or arguments");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Everything but the JVM exit, so tests can call it. Blocks while the server runs. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path configFile = Path.of("app_config.toml");
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config":
                case "-c":
                    if (i + 1 >= args.length) {
                        err.println("--config needs a file\n" + USAGE);
                        return EXIT_INVALID;
                    }
                    configFile = Path.of(args[++i]);
                    break;
                case "--check":
                case "-t":
                    check = true;
                    break;
                case "--version":
                case "-v":
                    out.println("gateway " + version());
                    return EXIT_OK;
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return EXIT_OK;
                default:
                    err.println("unknown argument '" + args[i] + "'\n" + USAGE);
                    return EXIT_INVALID;
            }
        }
        GatewayConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            err.println(configFile + ": configuration is invalid (" + e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + "):");
            for (ConfigProblem problem : e.problems()) {
                err.println("  " + problem);
            }
            return EXIT_INVALID;
        }
        if (check) {
            out.println(configFile + ": configuration is valid: " + summary(config));
            return EXIT_OK;
        }
        LoggingSetup.apply(config.logging());
        return serve(config);
    }

    private static int serve(GatewayConfig config) {
        Logger log = LoggerFactory.getLogger(Main.class);
        GatewayServer server;
        try {
            server = GatewayServer.start(config);
        } catch (Exception e) {
            log.error("gateway could not start: {}", e.toString());
            LoggingSetup.flush();
            return EXIT_START_FAILED;
        }
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("received SIG{}: stopping", signal.getName());
                stop.countDown();
            });
        }
        reloadOnSighup(server);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdown(server.config().server().shutdownTimeout());
        log.info("gateway stopped");
        LoggingSetup.flush();
        return EXIT_OK;
    }

    /** SIGHUP reloads the configuration (on the reload thread; the signal thread only asks). */
    static void reloadOnSighup(GatewayServer server) {
        Logger log = LoggerFactory.getLogger(Main.class);
        try {
            SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> server.reload("SIGHUP"));
            if (previous == SignalHandler.SIG_IGN) {
                // the JVM leaves an inherited "ignore" in place, as nohup sets it
                log.warn("SIGHUP is ignored by this process (started with nohup?): reload with POST /reload");
            }
        } catch (IllegalArgumentException e) {
            log.info("no SIGHUP on this platform: reload with POST /reload on the admin listener");
        }
    }

    static String summary(GatewayConfig config) {
        return config.routes().size() + " routes, " + config.upstreams().size() + " upstreams, listen "
                + config.server().listen() + (config.server().tls().isPresent() ? " (tls)" : "")
                + ", admin " + config.admin().listen()
                + config.staticSite().map(s -> ", static site " + s.root()).orElse("");
    }

    public static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
