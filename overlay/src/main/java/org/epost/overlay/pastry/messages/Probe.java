package org.epost.overlay.pastry.messages;

/** Are you alive? Answered with {@link ProbeReply}. Used for keep-alives, suspicion and candidates. */
public record Probe() {
}
