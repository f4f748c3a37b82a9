package de.tim.stack;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -cp <stack classpath> de.tim.stack.PeerDomainLauncher}: serves one domain of the stack
 * ({@code TIM_STACK_PEER_DOMAIN}, one of {@code TIM_STACK_SERVED_ELSEWHERE}) in this process, next to a local stack
 * started with the same environment in another process (see {@link PeerDomain}). Prints
 * {@value #READY} and the server name when it serves; runs until it is terminated.
 */
public final class PeerDomainLauncher {

    /** The line printed on standard output once the domain's gateway answers. */
    public static final String READY = "TIM peer domain ready:";

    private static final Logger log = LoggerFactory.getLogger(PeerDomainLauncher.class);

    private PeerDomainLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        StackSettings settings = StackSettings.fromEnvironment(System.getenv());
        String serverName = System.getenv("TIM_STACK_PEER_DOMAIN");
        if (serverName == null || !settings.servedElsewhere().contains(serverName)) {
            System.err.println("TIM_STACK_PEER_DOMAIN must name one of TIM_STACK_SERVED_ELSEWHERE " + settings.servedElsewhere());
            System.exit(2);
            return;
        }
        PeerDomain peer;
        try {
            peer = PeerDomain.start(settings, serverName);
        } catch (RuntimeException e) {
            log.error("The peer domain could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping the peer domain ...");
            peer.close();
            stopped.countDown();
        }, "peer-shutdown"));
        System.out.println(READY + " " + serverName + " (client port " + peer.domain().clientPort() + ", federation port "
                + peer.domain().federationPort() + ")");
        System.out.flush();
        stopped.await();
    }
}
