package de.tim.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.tim.embedded.app.OwnApplicationConfig;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One Spring Boot application of the stack. Its settings are passed as command-line arguments, which
 * outrank environment variables, so a variable meant for one application (e.g. {@code SERVER_PORT})
 * cannot leak into all of them.
 */
final class ChildApplication {

    private final String name;
    private final Class<?> applicationClass;
    private final Map<String, Object> args = new LinkedHashMap<>();

    ChildApplication(String name, Class<?> applicationClass) {
        this.name = name;
        this.applicationClass = applicationClass;
        arg("spring.application.name", name);
        arg("spring.main.banner-mode", "off");
    }

    Class<?> applicationClass() {
        return applicationClass;
    }

    String name() {
        return name;
    }

    boolean hasArg(String key) {
        return args.containsKey(key);
    }

    ChildApplication port(int port) {
        return arg("server.port", port);
    }

    ChildApplication arg(String key, Object value) {
        args.put(key, value);
        return this;
    }

    ChildApplication args(Map<String, Object> more) {
        args.putAll(more);
        return this;
    }

    /**
     * Leaves out auto-configurations that the shared classpath of the stack offers but this application
     * does not use in its own deployment (e.g. Camel outside the registration service).
     */
    ChildApplication excludeAutoConfiguration(java.util.List<String> classNames) {
        return classNames.isEmpty() ? this : arg("spring.autoconfigure.exclude", String.join(",", classNames));
    }

    ConfigurableApplicationContext run() {
        arg("spring.config.location", OwnApplicationConfig.of(applicationClass));
        List<String> commandLine = new ArrayList<>();
        args.forEach((key, value) -> commandLine.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(applicationClass)
                .main(applicationClass)
                .registerShutdownHook(false)
                .run(commandLine.toArray(String[]::new));
    }
}
