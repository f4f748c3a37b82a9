package de.tim.gateway.federation;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Fetches the federation list when the gateway is ready and then periodically; re-reads the roots weekly. */
@Component
class FederationListSchedule {

    private final FederationListService service;
    private final FederationListConfiguration.TrustAnchors anchors;

    FederationListSchedule(FederationListService service, FederationListConfiguration.TrustAnchors anchors) {
        this.service = service;
        this.anchors = anchors;
    }

    @EventListener(ApplicationReadyEvent.class)
    void initialFetch() {
        Thread.ofVirtual().name("federation-list-initial-fetch").start(service::refresh);
    }

    @Scheduled(fixedRateString = "${" + FederationListProperties.PREFIX + ".refresh-interval:1h}",
            initialDelayString = "${" + FederationListProperties.PREFIX + ".refresh-interval:1h}")
    void refresh() {
        service.refresh();
    }

    @Scheduled(fixedRateString = "${" + FederationListProperties.PREFIX + ".root-check-interval:7d}",
            initialDelayString = "${" + FederationListProperties.PREFIX + ".root-check-interval:7d}")
    void weeklyRootCheck() {
        anchors.reload();
    }
}
