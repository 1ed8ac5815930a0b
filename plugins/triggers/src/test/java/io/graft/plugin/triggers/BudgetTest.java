package io.graft.plugin.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BudgetTest {

    @Test
    void holdsWhileTheParameterCountIsBelowTheLimit() {
        Budget budget = new Budget(new BudgetSettings(100_000, 0));
        assertTrue(budget.allows(25_450));
        assertTrue(budget.allows(99_999));
        assertFalse(budget.allows(100_000));
        assertFalse(budget.allows(269_322));
    }

    @Test
    void forwardFlopsOfADenseMlpAreTwoPerParameterRoundedUp() {
        // 784-256-256-10: 268,800 weights (one multiply-add each) and 522 biases (one add each)
        long weights = 784 * 256 + 256 * 256 + 256 * 10;
        long biases = 256 + 256 + 10;
        long exact = 2 * weights + biases;
        long counted = Budget.forwardFlops(weights + biases);
        assertEquals(exact + biases, counted);
        assertTrue((counted - exact) / (double) exact < 0.002);
    }

    @Test
    void holdsWhileEverySetLimitHolds() {
        Budget flopsOnly = new Budget(new BudgetSettings(0, 100_000));
        assertTrue(flopsOnly.allows(49_999));
        assertFalse(flopsOnly.allows(50_000));
        Budget both = new Budget(new BudgetSettings(40_000, 100_000));
        assertTrue(both.allows(39_999));
        assertFalse(both.allows(40_000), "the parameter limit binds first");
    }

    @Test
    void theGuardIsTheSameAtStepsAndBoundaries() {
        BudgetTrigger guard = new BudgetTrigger(new BudgetSettings(1000, 0));
        assertTrue(guard.fires(Signals.withParameters(999, false)));
        assertTrue(guard.fires(Signals.withParameters(999, true)));
        assertFalse(guard.fires(Signals.withParameters(1000, false)));
        assertFalse(guard.fires(Signals.withParameters(1000, true)));
    }
}
