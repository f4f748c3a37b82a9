package de.tim.routes;

import org.apache.camel.component.quartz.QuartzComponent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Quartz component of the periodic routes (federation list refresh, Organization.active check, provisioning
 * recovery). On shutdown it does not wait for a running job: a job stuck in an outbound call (a MongoDB server
 * selection or VZD call waits up to its timeout, 30 s for MongoDB) would otherwise hold the shutdown hook that long.
 * The jobs are idempotent and write in order, so the next start repeats an interrupted run.
 */
@Configuration(proxyBeanMethods = false)
public class SchedulerConfiguration {

    @Bean("quartz")
    QuartzComponent quartz() {
        QuartzComponent quartz = new QuartzComponent();
        quartz.setInterruptJobsOnShutdown(true);
        return quartz;
    }
}
