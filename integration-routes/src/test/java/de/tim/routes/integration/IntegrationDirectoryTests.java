package de.tim.routes.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing integrator directory is created, so it means no integrator routes rather than a failed start. */
class IntegrationDirectoryTests {

    @TempDir
    Path temp;

    @Test
    void aMissingDirectoryIsCreatedAndYieldsNoRouteFiles() throws Exception {
        Path missing = temp.resolve("integration-routes.d");
        new IntegrationDirectory(missing);
        assertThat(Files.isDirectory(missing)).isTrue();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            assertThat(PluginHelper.getPackageScanResourceResolver(camel).findResources("file:" + missing + "/*.yaml")).isEmpty();
        }
    }
}
