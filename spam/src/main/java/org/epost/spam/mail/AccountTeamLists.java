package org.epost.spam.mail;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import org.apache.james.core.Username;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.ListRef;
import org.epost.spam.policy.TeamBlockLists;
import org.epost.spam.policy.TeamContribution;
import org.epost.spam.policy.TeamRoster;

/**
 * Edits team lists on the home peer of the user who signs the change, the one peer holding their key: the owner
 * changes the roster (who may edit), an editor changes their own part. Each change is made to the newest version
 * found in PAST and stored as the next one, one change of a block at a time.
 */
public final class AccountTeamLists {
    private final MailboxRegistry registry;
    private final TeamBlockLists teams;
    private final OneAtATime<String> oneAtATime = new OneAtATime<>();

    public AccountTeamLists(MailboxRegistry registry, TeamBlockLists teams) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.teams = Objects.requireNonNull(teams, "teams");
    }

    /**
     * Changes the roster of {@code team}, signed by its owner.
     *
     * @throws NoSuchElementException when the owner has no mailboxes on this peer (their key is on their home peer)
     */
    public CompletableFuture<TeamBlockLists.Stored<TeamRoster>> changeRoster(ListRef team,
                                                                            UnaryOperator<TeamRoster> change) {
        UserAccount owner = homedHere(team.publisher());
        return oneAtATime.run(team.publisher() + " " + TeamRoster.label(team),
            () -> teams.changeRoster(owner.storage().keys(), team, change));
    }

    /**
     * Changes {@code editor}'s part of {@code team}, signed by the editor. It counts for followers only while the
     * owner's roster names the editor; an editor may keep a part before being named, or after being removed.
     *
     * @throws NoSuchElementException when the editor has no mailboxes on this peer
     */
    public CompletableFuture<TeamBlockLists.Stored<BlockList>> changeEntries(String editor, ListRef team,
                                                                             UnaryOperator<BlockList> change) {
        UserAccount account = homedHere(editor);
        return oneAtATime.run(account.owner().asString() + " " + TeamContribution.label(team),
            () -> teams.changeContribution(account.storage().keys(), account.owner().asString(), team, change));
    }

    private UserAccount homedHere(String user) {
        return registry.account(Username.of(user)).orElseThrow(() -> new NoSuchElementException("user " + user
            + " has no ePOST mailboxes on this peer: their team lists are changed on their home peer, which holds"
            + " their key"));
    }
}
