package org.epost.peer.imap.framing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One logger for the framing package, so an admin follows refused commands under one name. */
final class FramingLog {
    static final Logger LOGGER = LoggerFactory.getLogger("org.epost.peer.imap.framing");

    private FramingLog() {
    }
}
