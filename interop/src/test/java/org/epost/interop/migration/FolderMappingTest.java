package org.epost.interop.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FolderMappingTest {

    private static String map(String name, char separator, String... attributes) {
        return FolderMapping.destination(new SourceFolder(name, separator, List.of(attributes), true, true));
    }

    @Test
    void specialUseFoldersGoToTheFoldersJamesAnnouncesWithThatUse() {
        assertThat(map("inbox", '/')).isEqualTo("INBOX");
        assertThat(map("Sent Messages", '/', "\\HasNoChildren", "\\Sent")).isEqualTo("Sent");
        assertThat(map("Gesendet", '.', "\\Sent")).isEqualTo("Sent");
        assertThat(map("Junk", '/', "\\Junk")).isEqualTo("Spam");
        assertThat(map("Deleted Messages", '/')).isEqualTo("Trash");
        assertThat(map("Sent Items", '.')).isEqualTo("Sent");
        assertThat(map("Junk E-mail", '.')).isEqualTo("Spam");
        assertThat(map("Drafts", '.', "\\Drafts")).isEqualTo("Drafts");
    }

    @Test
    void otherFoldersKeepNameAndHierarchyWithEpostsDelimiter() {
        assertThat(map("Archive/2023", '/')).isEqualTo("Archive.2023");
        assertThat(map("Projects/v1.2/notes", '/')).isEqualTo("Projects.v1_2.notes");
        assertThat(map("INBOX.Receipts", '.')).isEqualTo("INBOX.Receipts");
        assertThat(map("Archive/Sent", '/')).as("usual names only at the top").isEqualTo("Archive.Sent");
    }
}
