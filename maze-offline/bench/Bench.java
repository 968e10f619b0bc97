import dev.maze.offline.*;
import java.nio.file.Path;
import java.util.*;
/**
 * Prints PlanBenchmark figures until `maze plan` has a benchmark command. After `./mvnw -q compile -pl maze-offline -am`:
 * java -cp maze-offline/target/classes maze-offline/bench/Bench.java stg LIMIT | llm LIMIT SEEDS G,G,... | time
 * (LIMIT: the time limit in seconds; SEEDS: seeds 1..SEEDS; budget seed 42; -Dstg=DIR: the STG sample, default
 * ../shared/data/stg from the repository root).
 */
public class Bench {
  public static void main(String[] a) throws Exception {
    String what = a[0]; double limit = Double.parseDouble(a[1]);
    List<Strategy> all = Strategies.all();
    var budget = new Strategy.Budget(limit, 42);
    if (what.equals("stg")) {
      for (var r : PlanBenchmark.stg(Path.of(System.getProperty("stg", "../shared/data/stg")), all, budget)) System.out.println(r);
    } else if (what.equals("llm")) {
      int n = Integer.parseInt(a[2]);
      long[] seeds = new long[n]; for (int i=0;i<n;i++) seeds[i]=i+1;
      int[] gs = Arrays.stream(a[3].split(",")).mapToInt(Integer::parseInt).toArray();
      var res = PlanBenchmark.llm(seeds, gs, all, budget);
      for (var r : res.rows()) System.out.println(r);
      System.out.println("ratio mean " + res.meanRatioToSeed() + " worst " + res.worstRatioToSeed());
      for (var i : res.instances()) System.out.println(i.seed()+" G="+i.gpus()+" n="+i.tasks()+" lb="+i.lowerBound()+" "+i.makespan()+" "+i.switches());
    } else {
      for (var r : PlanBenchmark.planningTime(all, 64, 1000, 11, 1)) System.out.println(r);
    }
  }
}
