package dev.gateway.config.toml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Best-effort map from key paths ({@code routes[2].targets[0]}) to the line that defines them.
 *
 * <p>Jackson's tree carries no locations, so this rescans the (already parsed, hence valid) TOML
 * text: {@code [table]} and {@code [[array]]} headers with their occurrence counts, {@code key =}
 * lines including dotted keys, and the elements of arrays and keys of inline tables. A path that
 * is not found falls back to its nearest recorded parent, so a missing key points at its table's
 * header and a bad value inside an inline table points at the line of its key.
 */
public final class LineIndex {

    private final Map<String, Integer> lines;

    private LineIndex(Map<String, Integer> lines) {
        this.lines = lines;
    }

    public static LineIndex of(String toml) {
        Scanner scanner = new Scanner(toml);
        scanner.run();
        return new LineIndex(Map.copyOf(scanner.lines));
    }

    public static LineIndex empty() {
        return new LineIndex(Map.of());
    }

    public OptionalInt lineOf(String keyPath) {
        for (String path = keyPath; !path.isEmpty(); path = parent(path)) {
            Integer line = lines.get(path);
            if (line != null) {
                return OptionalInt.of(line);
            }
        }
        return OptionalInt.empty();
    }

    public static String parent(String path) {
        if (path.endsWith("]")) {
            int open = path.lastIndexOf('[');
            return open < 0 ? "" : path.substring(0, open);
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    public static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** A lenient recursive-descent walk over valid TOML; it always makes progress on anything else. */
    private static final class Scanner {

        final Map<String, Integer> lines = new HashMap<>();
        private final Map<String, Integer> arrayCounts = new HashMap<>();
        private final String s;
        private int pos;
        private int line = 1;
        private String table = "";

        Scanner(String s) {
            this.s = s;
        }

        void run() {
            while (true) {
                skipBlank();
                if (pos >= s.length()) {
                    return;
                }
                int before = pos;
                if (s.charAt(pos) == '[') {
                    header();
                } else {
                    keyValue(table);
                }
                if (pos == before) {
                    advance();
                }
            }
        }

        private void header() {
            int at = line;
            boolean array = s.startsWith("[[", pos);
            pos += array ? 2 : 1;
            List<String> keys = keys();
            String path = "";
            for (int i = 0; i < keys.size(); i++) {
                path = child(path, keys.get(i));
                if (i < keys.size() - 1) {
                    Integer count = arrayCounts.get(path);
                    if (count != null) {
                        path = path + "[" + (count - 1) + "]";
                    } else {
                        lines.putIfAbsent(path, at);
                    }
                }
            }
            if (array) {
                lines.putIfAbsent(path, at);
                path = path + "[" + (arrayCounts.merge(path, 1, Integer::sum) - 1) + "]";
            }
            lines.putIfAbsent(path, at);
            table = path;
            skipToLineEnd();
        }

        private void keyValue(String prefix) {
            int at = line;
            List<String> keys = keys();
            skipSpaces();
            if (keys.isEmpty() || pos >= s.length() || s.charAt(pos) != '=') {
                skipToLineEnd();
                return;
            }
            pos++;
            String path = prefix;
            for (String key : keys) {
                path = child(path, key);
                lines.putIfAbsent(path, at);
            }
            value(path);
        }

        private List<String> keys() {
            List<String> keys = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (pos >= s.length()) {
                    return keys;
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    keys.add(basicString());
                } else if (c == '\'') {
                    keys.add(literalString());
                } else {
                    int start = pos;
                    while (pos < s.length() && isBareKeyChar(s.charAt(pos))) {
                        pos++;
                    }
                    if (pos == start) {
                        return keys;
                    }
                    keys.add(s.substring(start, pos));
                }
                skipSpaces();
                if (pos >= s.length() || s.charAt(pos) != '.') {
                    return keys;
                }
                pos++;
            }
        }

        private void value(String path) {
            skipSpaces();
            if (pos >= s.length()) {
                return;
            }
            char c = s.charAt(pos);
            if (s.startsWith("\"\"\"", pos) || s.startsWith("'''", pos)) {
                multilineString(c);
            } else if (c == '"') {
                basicString();
            } else if (c == '\'') {
                literalString();
            } else if (c == '[') {
                array(path);
            } else if (c == '{') {
                inlineTable(path);
            } else {
                while (pos < s.length() && ",]}#\n".indexOf(s.charAt(pos)) < 0) {
                    pos++;
                }
            }
        }

        private void array(String path) {
            pos++;
            int index = 0;
            while (true) {
                skipBlank();
                if (pos >= s.length()) {
                    return;
                }
                char c = s.charAt(pos);
                if (c == ']') {
                    pos++;
                    return;
                }
                if (c == ',') {
                    pos++;
                    continue;
                }
                String element = path + "[" + index++ + "]";
                lines.putIfAbsent(element, line);
                int before = pos;
                value(element);
                if (pos == before) {
                    advance();
                }
            }
        }

        private void inlineTable(String path) {
            pos++;
            while (true) {
                skipBlank();
                if (pos >= s.length()) {
                    return;
                }
                char c = s.charAt(pos);
                if (c == '}') {
                    pos++;
                    return;
                }
                if (c == ',') {
                    pos++;
                    continue;
                }
                int before = pos;
                keyValue(path);
                if (pos == before) {
                    advance();
                }
            }
        }

        private String basicString() {
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < s.length() && s.charAt(pos) != '"' && s.charAt(pos) != '\n') {
                char c = s.charAt(pos++);
                if (c != '\\' || pos >= s.length()) {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u': out.appendCodePoint(hex(4)); break;
                    case 'U': out.appendCodePoint(hex(8)); break;
                    default: out.append(e);
                }
            }
            if (pos < s.length() && s.charAt(pos) == '"') {
                pos++;
            }
            return out.toString();
        }

        private int hex(int digits) {
            int end = Math.min(s.length(), pos + digits);
            String text = s.substring(pos, end);
            pos = end;
            try {
                int codePoint = Integer.parseInt(text, 16);
                return Character.isValidCodePoint(codePoint) ? codePoint : '?';
            } catch (NumberFormatException e) {
                return '?';
            }
        }

        private String literalString() {
            int start = ++pos;
            while (pos < s.length() && s.charAt(pos) != '\'' && s.charAt(pos) != '\n') {
                pos++;
            }
            String text = s.substring(start, pos);
            if (pos < s.length() && s.charAt(pos) == '\'') {
                pos++;
            }
            return text;
        }

        private void multilineString(char quote) {
            String delimiter = String.valueOf(quote).repeat(3);
            pos += 3;
            while (pos < s.length()) {
                if (quote == '"' && s.charAt(pos) == '\\') {
                    advance();
                    advance();
                } else if (s.startsWith(delimiter, pos)) {
                    pos += 3;
                    for (int extra = 0; extra < 2 && pos < s.length() && s.charAt(pos) == quote; extra++) {
                        pos++;
                    }
                    return;
                } else {
                    advance();
                }
            }
        }

        /** Spaces, tabs, newlines and comments. */
        private void skipBlank() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '#') {
                    skipToLineEnd();
                } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    advance();
                } else {
                    return;
                }
            }
        }

        private void skipSpaces() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private void skipToLineEnd() {
            while (pos < s.length() && s.charAt(pos) != '\n') {
                pos++;
            }
        }

        private void advance() {
            if (pos < s.length() && s.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }

        private static boolean isBareKeyChar(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
        }
    }
}
