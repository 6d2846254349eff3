package org.epost.mailbox.model;

/**
 * What a user's quota limit bounds: how many messages their mailboxes hold, or how many octets. The code is what the
 * account log records, so it never changes.
 */
public enum QuotaResource {
    MESSAGES(0),
    STORAGE(1);

    private final int code;

    QuotaResource(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static QuotaResource ofCode(long code) {
        for (QuotaResource resource : values()) {
            if (resource.code == code) {
                return resource;
            }
        }
        throw new RecordFormatException("unknown quota resource " + code);
    }
}
