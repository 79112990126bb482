package dev.gateway.core.reload;

import dev.gateway.config.ConfigProblem;
import java.time.Instant;
import java.util.List;

/**
 * The result of one reload attempt, as {@code POST /reload} reports it.
 *
 * @param problems empty when the new configuration was applied; else every problem found, and the
 *                 old configuration still serves
 * @param needsRestart one line per changed setting that only a restart applies (the rest was applied)
 * @param sha256 hash of the file content read (null when it could not be read)
 */
public record ReloadOutcome(Instant at, String sha256, List<ConfigProblem> problems, List<String> needsRestart,
        int routes, int upstreams) {

    public ReloadOutcome {
        problems = List.copyOf(problems);
        needsRestart = List.copyOf(needsRestart);
    }

    static ReloadOutcome failed(Instant at, String sha256, List<ConfigProblem> problems) {
        return new ReloadOutcome(at, sha256, problems, List.of(), 0, 0);
    }

    public boolean applied() {
        return problems.isEmpty();
    }
}
