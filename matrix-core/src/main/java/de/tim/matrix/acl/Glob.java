package de.tim.matrix.acl;

import java.util.Objects;
import java.util.regex.Pattern;

/** A glob-style pattern (appendix "Glob-style matching"): {@code *} matches any run, {@code ?} one character. */
public final class Glob {

    private final String glob;
    private final Pattern pattern;

    private Glob(String glob, boolean ignoreCase) {
        this.glob = glob;
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        this.pattern = Pattern.compile(regex.toString(), flags);
    }

    /** A case-sensitive glob. */
    public static Glob of(String glob) {
        return new Glob(Objects.requireNonNull(glob, "glob"), false);
    }

    /** A glob that ignores case (for host names). */
    public static Glob ignoringCase(String glob) {
        return new Glob(Objects.requireNonNull(glob, "glob"), true);
    }

    /** Whether the whole of {@code value} matches. */
    public boolean matches(String value) {
        return pattern.matcher(value).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
