package de.tim.simulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The data directory of this simulator instance: the configured one, or a fresh temporary directory that is deleted
 * when the application stops.
 */
@Component
public class SimulatorsDataDir implements DisposableBean {

    private final Path root;
    private final boolean persistent;

    public SimulatorsDataDir(SimulatorsProperties properties) {
        try {
            if (properties.dataDir() != null) {
                this.root = Files.createDirectories(properties.dataDir().toAbsolutePath());
                this.persistent = true;
            } else {
                this.root = Files.createTempDirectory("ti-simulators-");
                this.persistent = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the simulators' data directory", e);
        }
    }

    public Path root() {
        return root;
    }

    /** A sub-directory, created on demand. */
    public Path resolve(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + name + " in the data directory", e);
        }
    }

    @Override
    public void destroy() throws IOException {
        if (!persistent) {
            FileSystemUtils.deleteRecursively(root);
        }
    }

    /** Whether state written here survives a restart (a data dir was configured). */
    public boolean persistent() {
        return persistent;
    }
}
