package io.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class LoopHandOffsTest {
  /** An executor that records each submission and runs it when asked. */
  private static final class Recording implements Executor {
    final List<Runnable> submitted = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      submitted.add(task);
    }

    void runAll() {
      List<Runnable> now = new ArrayList<>(submitted);
      submitted.clear();
      now.forEach(Runnable::run);
    }
  }

  @Test
  void outsideABatch_eachTaskIsSubmittedAtOnce() {
    Recording loop = new Recording();
    LoopHandOffs.execute(loop, () -> { });
    LoopHandOffs.execute(loop, () -> { });
    assertThat(loop.submitted).hasSize(2);
  }

  @Test
  void insideABatch_tasksWaitForItsEnd_thenEachExecutorGetsOneSubmission_inOrder() {
    Recording a = new Recording();
    Recording b = new Recording();
    List<String> ran = new ArrayList<>();
    LoopHandOffs.batch(() -> {
      LoopHandOffs.execute(a, () -> ran.add("a1"));
      LoopHandOffs.execute(b, () -> ran.add("b1"));
      LoopHandOffs.execute(a, () -> ran.add("a2"));
      LoopHandOffs.batch(() -> LoopHandOffs.execute(a, () -> ran.add("a3"))); // nested: joins the outer batch
      assertThat(a.submitted).as("nothing handed over before the batch ends").isEmpty();
      assertThat(b.submitted).isEmpty();
    });
    assertThat(a.submitted).as("one task for the loop's whole run").hasSize(1);
    assertThat(b.submitted).hasSize(1);
    a.runAll();
    b.runAll();
    assertThat(ran).containsExactly("a1", "a2", "a3", "b1");
  }

  @Test
  void aTaskThatThrows_doesNotStopTheRestOfItsRun() {
    Recording a = new Recording();
    List<String> ran = new ArrayList<>();
    LoopHandOffs.batch(() -> {
      LoopHandOffs.execute(a, () -> ran.add("first"));
      LoopHandOffs.execute(a, () -> {
        throw new IllegalStateException("boom");
      });
      LoopHandOffs.execute(a, () -> ran.add("third"));
    });
    a.runAll();
    assertThat(ran).containsExactly("first", "third");
  }

  @Test
  void anExecutorThatRefuses_doesNotFailTheBatchOrTheOtherExecutors() {
    Executor shutDown = task -> {
      throw new RejectedExecutionException("event executor terminated");
    };
    Recording a = new Recording();
    boolean[] bodyRan = {false};
    LoopHandOffs.batch(() -> {
      LoopHandOffs.execute(shutDown, () -> { });
      LoopHandOffs.execute(a, () -> { });
      bodyRan[0] = true;
    });
    assertThat(bodyRan[0]).isTrue();
    assertThat(a.submitted).hasSize(1);
  }

  @Test
  void aBodyThatThrows_stillHandsOverWhatItQueued() {
    Recording a = new Recording();
    try {
      LoopHandOffs.batch(() -> {
        LoopHandOffs.execute(a, () -> { });
        throw new IllegalStateException("completion failed");
      });
    } catch (IllegalStateException expected) {
      // the body's failure is the caller's
    }
    assertThat(a.submitted).hasSize(1);
    LoopHandOffs.execute(a, () -> { });
    assertThat(a.submitted).as("the batch ended: direct again").hasSize(2);
  }
}
