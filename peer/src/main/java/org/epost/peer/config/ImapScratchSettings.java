package org.epost.peer.config;

import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * The {@code imap.literal.scratch} key of epost.properties: how much disk the IMAP literals too large for memory may
 * take in their encrypted scratch files, all connections together (default 1G). An APPEND whose literal does not fit
 * in what is left is answered {@code NO [LIMIT]}.
 */
public record ImapScratchSettings(long scratchBytes) {
    public static final String SCRATCH = "imap.literal.scratch";
    public static final List<String> KEYS = List.of(SCRATCH);
    static final String DEFAULT_SCRATCH = "1G";

    public static ImapScratchSettings from(Configuration properties) throws ConfigurationException {
        return new ImapScratchSettings(SizeSetting.positive(properties, SCRATCH, DEFAULT_SCRATCH));
    }
}
