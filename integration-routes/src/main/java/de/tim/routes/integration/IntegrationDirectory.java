package de.tim.routes.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Makes sure the integrator route directory ({@code tim.routes.integration.directory}) exists before Camel scans it
 * (Camel refuses to start on a missing directory in {@code camel.main.routes-include-pattern}).
 */
@Component
public class IntegrationDirectory {

    private final Path directory;

    public IntegrationDirectory(@Value("${tim.routes.integration.directory}") Path directory) {
        try {
            this.directory = Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the integrator route directory " + directory, e);
        }
    }

    public Path path() {
        return directory;
    }
}
