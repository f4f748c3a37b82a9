package de.tim.gateway.federation;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fetches the federation list when the gateway is ready and then periodically; re-reads the roots weekly and
 * checks the ROOT-CA download point for new root versions (at start-up and weekly).
 */
@Component
class FederationListSchedule {

    private final FederationListService service;
    private final FederationListConfiguration.TrustAnchors anchors;
    private final TrustRootListCheck rootList;

    FederationListSchedule(FederationListService service, FederationListConfiguration.TrustAnchors anchors,
                           TrustRootListCheck rootList) {
        this.service = service;
        this.anchors = anchors;
        this.rootList = rootList;
    }

    @EventListener(ApplicationReadyEvent.class)
    void initialFetch() {
        Thread.ofVirtual().name("federation-list-initial-fetch").start(() -> {
            service.refresh();
            if (!rootList.check().isEmpty()) {
                service.refresh(); // a list signed under a root version that was new to us
            }
        });
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
        rootList.check();
    }
}
