package dev.gateway.config.toml;

import dev.gateway.config.ConfigProblem;
import dev.gateway.config.HeaderTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every section reader shares while one file is read: the problems found so far (all of
 * them; reading never stops at the first), the environment for {@code ${VAR}}, the line index and
 * the directory relative paths are resolved against.
 */
public final class ReadContext {

    private final Path baseDir;
    private final Map<String, String> env;
    private final LineIndex lines;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public ReadContext(Path baseDir, Map<String, String> env, LineIndex lines) {
        this.baseDir = baseDir;
        this.env = env;
        this.lines = lines;
    }

    public void problem(String keyPath, String message) {
        problems.add(new ConfigProblem(keyPath, lines.lineOf(keyPath), message));
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** In file order; problems without a line keep their order and come last. */
    public List<ConfigProblem> problems() {
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(p -> p.line().orElse(Integer.MAX_VALUE)));
        return sorted;
    }

    public String substitute(String raw) {
        return EnvSubstitution.apply(raw, env);
    }

    /** A header value with request variables kept as variables; see {@link HeaderTemplates}. */
    public HeaderTemplate headerTemplate(String raw, Set<HeaderTemplate.Variable> allowed) {
        return HeaderTemplates.parse(raw, env, allowed);
    }

    /** Absolute and normalized; relative paths are taken from the config file's directory. */
    public Path resolve(String path) {
        return baseDir.resolve(path).toAbsolutePath().normalize();
    }
}
