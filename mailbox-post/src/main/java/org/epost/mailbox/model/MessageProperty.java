package org.epost.mailbox.model;

import java.util.Objects;

/** One MIME property James records for a message (media type, charset, content language, ...). */
public record MessageProperty(String namespace, String localName, String value) {
    public MessageProperty {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(value, "value");
    }
}
