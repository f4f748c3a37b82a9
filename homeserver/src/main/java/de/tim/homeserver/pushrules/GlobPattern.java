package de.tim.homeserver.pushrules;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Glob-style matching (appendix "Glob-style matching": {@code *} any run, {@code ?} one character),
 * case-insensitive. Whole-value matches, or, for {@code content.body}, any substring that starts and
 * ends at a word boundary (start/end of the value or a character outside {@code [A-Za-z0-9_]}).
 */
final class GlobPattern {

    private static final int CACHE_LIMIT = 4096;
    private static final String WORD = "[A-Za-z0-9_]";
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private GlobPattern() {
    }

    static boolean matchesWhole(String glob, String value) {
        return compile(glob, false, false).matcher(value).matches();
    }

    static boolean matchesWords(String glob, String value) {
        return compile(glob, true, false).matcher(value).find();
    }

    /** A literal (no glob characters) at word boundaries, e.g. a display name. */
    static boolean containsWords(String literal, String value) {
        return compile(literal, true, true).matcher(value).find();
    }

    private static Pattern compile(String glob, boolean words, boolean literal) {
        String key = (words ? "w" : "e") + (literal ? "l" : "g") + glob;
        Pattern cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        StringBuilder regex = new StringBuilder();
        if (words) {
            regex.append("(?<!").append(WORD).append(')');
        }
        if (literal) {
            regex.append(Pattern.quote(glob));
        } else {
            StringBuilder run = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' || c == '?') {
                    if (!run.isEmpty()) {
                        regex.append(Pattern.quote(run.toString()));
                        run.setLength(0);
                    }
                    regex.append(c == '*' ? (words ? ".*?" : ".*") : ".");
                } else {
                    run.append(c);
                }
            }
            if (!run.isEmpty()) {
                regex.append(Pattern.quote(run.toString()));
            }
        }
        if (words) {
            regex.append("(?!").append(WORD).append(')');
        }
        Pattern pattern = Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(key, pattern);
        return pattern;
    }
}
