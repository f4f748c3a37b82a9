package de.tim.simulators;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.PropertySource;

/**
 * Simulators of the TI outside world for tests and the local stack. Defaults come from
 * {@code ti-simulators-defaults.properties}, so they hold even when another module's {@code application.yml} is
 * first on a shared classpath.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@PropertySource("classpath:ti-simulators-defaults.properties")
public class SimulatorsApplication {

    public static void main(String[] args) {
        SpringApplication.run(SimulatorsApplication.class, args);
    }
}
