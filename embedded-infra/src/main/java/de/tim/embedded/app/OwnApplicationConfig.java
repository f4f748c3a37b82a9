package de.tim.embedded.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;

/**
 * For several Spring Boot applications in one JVM (local stack, benchmarks): every module ships its defaults as
 * {@code application.yml}, but {@code classpath:application.yml} finds only the first module's file. This finds
 * the file in the application class's own jar (or classes directory), to pass as {@code spring.config.location}.
 */
public final class OwnApplicationConfig {

    private OwnApplicationConfig() {
    }

    /** The URL of the {@code application.yml} next to {@code applicationClass}. */
    public static String of(Class<?> applicationClass) {
        String codeSource = applicationClass.getProtectionDomain().getCodeSource().getLocation().toString();
        try {
            Enumeration<URL> candidates = applicationClass.getClassLoader().getResources("application.yml");
            while (candidates.hasMoreElements()) {
                String url = candidates.nextElement().toString();
                if (url.startsWith(codeSource) || url.startsWith("jar:" + codeSource)) {
                    return url;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no application.yml next to " + applicationClass.getName() + " in " + codeSource);
    }

    /** The command-line argument that makes the application read only its own {@code application.yml}. */
    public static String argument(Class<?> applicationClass) {
        return "--spring.config.location=" + of(applicationClass);
    }
}
