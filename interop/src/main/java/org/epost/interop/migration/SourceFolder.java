package org.epost.interop.migration;

import java.util.List;
import java.util.Locale;

/**
 * A folder of the legacy server as LIST shows it: full name, hierarchy separator, attributes (special-use ones such
 * as {@code \Sent} among them), whether it holds messages ({@code \Noselect} folders are only hierarchy) and whether
 * the user is subscribed to it.
 */
public record SourceFolder(String name, char separator, List<String> attributes, boolean selectable, boolean subscribed) {
    public SourceFolder {
        attributes = List.copyOf(attributes);
    }

    public boolean hasAttribute(String attribute) {
        return attributes.stream().anyMatch(a -> a.equalsIgnoreCase(attribute));
    }

    public boolean isInbox() {
        return name.toUpperCase(Locale.ROOT).equals("INBOX");
    }
}
