package de.tim.stack;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar stack-exec.jar}: starts the local Fachdienst and runs until Ctrl-C. */
public final class StackLauncher {

    private static final Logger log = LoggerFactory.getLogger(StackLauncher.class);

    private StackLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        long begin = System.nanoTime();
        StackSettings settings = StackSettings.fromEnvironment(System.getenv());
        LocalStack stack;
        try {
            stack = LocalStack.start(settings);
        } catch (RuntimeException e) {
            log.error("The local stack could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping the local stack ...");
            stack.close();
            stopped.countDown();
        }, "stack-shutdown"));
        System.out.println(StackSummary.render(stack, Duration.ofNanos(System.nanoTime() - begin)));
        stopped.await();
    }
}
