package dev.gateway.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed Prometheus text exposition: its samples and the declared type of each metric family. */
final class Scrape {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final String text;
    final List<Sample> samples = new ArrayList<>();
    /** family name -> counter, gauge, histogram, ... from the {@code # TYPE} lines */
    final Map<String, String> types = new LinkedHashMap<>();

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                samples.add(parse(line));
            }
        }
    }

    /** The value of the one sample with this name whose labels include {@code labels}; 0 when there is none. */
    double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples match " + name + " " + List.of(labels) + ": " + found);
        }
        return found.isEmpty() ? 0 : found.get(0).value();
    }

    /** Samples with this name whose labels include the given key, value pairs. */
    List<Sample> find(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (all) {
                found.add(s);
            }
        }
        return found;
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace < 0) {
            name = line.substring(0, line.indexOf(' '));
        } else {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // past ="
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        c = line.charAt(++j);
                        value.append(c == 'n' ? '\n' : c);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(key, value.toString());
                i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
            }
        }
        String value = line.substring(space + 1);
        return new Sample(name, labels, value.equals("+Inf") ? Double.POSITIVE_INFINITY
                : value.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(value));
    }
}
