package org.epost.spam.puzzle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EquihashTest {
    private static final byte[] SEED = new byte[32];

    @Test
    void solutionsOfAnInstanceCheckAndAreDistinct() {
        List<int[]> solutions = EquihashSolver.solve(SEED, 0);
        int nonce = 0;
        while (solutions.isEmpty()) {
            solutions = EquihashSolver.solve(SEED, ++nonce);
        }
        for (int[] solution : solutions) {
            assertThat(Equihash.check(SEED, nonce, solution)).isNull();
        }
    }

    @Test
    void aChangedIndexSeedOrNonceFails() {
        Puzzle puzzle = PuzzleSolver.solve(SEED, 0);
        int[] indices = puzzle.indices();
        assertThat(Equihash.check(SEED, puzzle.nonce(), indices)).isNull();
        int[] changed = indices.clone();
        changed[7] = (changed[7] + 1) % Equihash.INDEX_COUNT;
        assertThat(Equihash.check(SEED, puzzle.nonce(), changed)).isNotNull();
        byte[] otherSeed = SEED.clone();
        otherSeed[0] = 1;
        assertThat(Equihash.check(otherSeed, puzzle.nonce(), indices)).contains("collide");
        assertThat(Equihash.check(SEED, puzzle.nonce() + 1, indices)).contains("collide");
    }

    @Test
    void swappedHalvesAreNotCanonical() {
        Puzzle puzzle = PuzzleSolver.solve(SEED, 0);
        int[] indices = puzzle.indices();
        int half = indices.length / 2;
        int[] swapped = new int[indices.length];
        System.arraycopy(indices, half, swapped, 0, half);
        System.arraycopy(indices, 0, swapped, half, half);
        assertThat(Equihash.check(SEED, puzzle.nonce(), swapped)).contains("canonical order");
    }

    @Test
    void repeatedIndicesAndOutOfRangeAreRefused() {
        int[] same = new int[Equihash.SOLUTION_SIZE];
        assertThat(Equihash.check(SEED, 0, same)).contains("distinct");
        int[] large = new int[Equihash.SOLUTION_SIZE];
        for (int i = 0; i < large.length; i++) {
            large[i] = Equihash.INDEX_COUNT + i;
        }
        assertThat(Equihash.check(SEED, 0, large)).contains("below");
        assertThat(Equihash.check(SEED, 0, new int[3])).contains("indices");
    }

    @Test
    void aHarderPuzzleMeetsItsDifficultyAndAnEasierOneIsTooEasy() {
        Puzzle hard = PuzzleSolver.solve(SEED, 3);
        assertThat(PuzzleSolver.check(SEED, hard, 3)).isNull();
        assertThat(Equihash.difficultyBits(SEED, hard.nonce(), hard.indices())).isGreaterThanOrEqualTo(3);
        Puzzle easy = PuzzleSolver.solve(SEED, 0);
        int bits = Equihash.difficultyBits(SEED, easy.nonce(), easy.indices());
        assertThat(PuzzleSolver.check(SEED, easy, bits + 1)).startsWith("too easy");
    }

    @Test
    void thePuzzleCodecRoundTripsAndRefusesOtherVersions() {
        Puzzle puzzle = PuzzleSolver.solve(SEED, 0);
        assertThat(Puzzle.decode(puzzle.encode())).isEqualTo(puzzle);
        byte[] encoded = puzzle.encode();
        encoded[1] = 2; // the format version
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Puzzle.decode(encoded))
            .isInstanceOf(org.epost.spam.policy.SpamFormatException.class).hasMessageContaining("version");
    }
}
