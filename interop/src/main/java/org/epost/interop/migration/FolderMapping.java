package org.epost.interop.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ePOST folder a legacy folder is copied into. INBOX stays INBOX. A folder the legacy server marks special-use
 * (RFC 6154 {@code \Sent}, {@code \Drafts}, {@code \Trash}, {@code \Junk}, {@code \Archive}), or a top-level folder
 * with one of the usual names of those ("Sent Messages", "Sent Items", "Deleted Messages", "Junk E-mail", ...), goes
 * to the folder James's IMAP server announces with that use (Sent, Drafts, Trash, Spam, Archive), so clients find it.
 * Other folders keep their names and hierarchy, written with ePOST's delimiter {@code .}; a {@code .} inside a name
 * (possible where the legacy delimiter is {@code /}) becomes {@code _}, or it would make a new level.
 */
public final class FolderMapping {
    public static final char DELIMITER = '.';

    private static final Map<String, String> SPECIAL_USE = Map.of(
        "\\sent", "Sent", "\\drafts", "Drafts", "\\trash", "Trash", "\\junk", "Spam", "\\archive", "Archive");
    private static final Map<String, String> USUAL_NAMES = Map.ofEntries(
        Map.entry("sent", "Sent"), Map.entry("sent messages", "Sent"), Map.entry("sent items", "Sent"),
        Map.entry("sent mail", "Sent"), Map.entry("drafts", "Drafts"), Map.entry("draft", "Drafts"),
        Map.entry("trash", "Trash"), Map.entry("deleted messages", "Trash"), Map.entry("deleted items", "Trash"),
        Map.entry("junk", "Spam"), Map.entry("junk e-mail", "Spam"), Map.entry("junk email", "Spam"),
        Map.entry("spam", "Spam"), Map.entry("archive", "Archive"));

    private FolderMapping() {
    }

    public static String destination(SourceFolder folder) {
        if (folder.isInbox()) {
            return "INBOX";
        }
        for (String attribute : folder.attributes()) {
            String special = SPECIAL_USE.get(attribute.toLowerCase(Locale.ROOT));
            if (special != null) {
                return special;
            }
        }
        List<String> parts = split(folder.name(), folder.separator());
        if (parts.size() == 1) {
            String usual = USUAL_NAMES.get(parts.get(0).toLowerCase(Locale.ROOT));
            if (usual != null) {
                return usual;
            }
        }
        List<String> cleaned = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            cleaned.add(i == 0 && part.equalsIgnoreCase("INBOX") ? "INBOX" : part.replace(DELIMITER, '_'));
        }
        return String.join(String.valueOf(DELIMITER), cleaned);
    }

    private static List<String> split(String name, char separator) {
        if (separator == 0) {
            return List.of(name);
        }
        return List.of(name.split(Pattern.quote(String.valueOf(separator)), -1));
    }
}
