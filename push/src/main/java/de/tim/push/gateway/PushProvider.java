package de.tim.push.gateway;

/** Delivers one privacy-filtered notification to one device through an external push service. */
public interface PushProvider {

    /** Sends the message; never throws for provider or network errors, classifies them instead. */
    ProviderOutcome send(PushMessage message);
}
