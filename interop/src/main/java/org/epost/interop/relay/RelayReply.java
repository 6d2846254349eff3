package org.epost.interop.relay;

/** One reply of the legacy server: its code and text (continuation lines joined). */
public record RelayReply(int code, String text) {
    public boolean isPositive() {
        return code >= 200 && code < 400;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    @Override
    public String toString() {
        return code + " " + text;
    }
}
