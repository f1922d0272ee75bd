package io.lakelens.jobs.retrieval;

import io.lakelens.eval.retrieval.RetrievalRecall;
import io.lakelens.eval.retrieval.TopKAccumulator;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * Distributed top-k by dot product: queries are cut into blocks of {@code blockSize} consecutive
 * indices, candidates stay in their partitions; every (query block, candidate partition) pair is
 * scored in one task into a {@link TopKAccumulator}, and the partial accumulators of a query block are
 * merged. No side is ever collected to the driver; a task holds one query block and one candidate
 * partition. Ties rank the lower candidate index first, so the result does not depend on the split.
 */
final class BlockwiseTopK {

    private BlockwiseTopK() {}

    /**
     * @param queries (query index, embedding), indices 0..numQueries-1
     * @param candidates (candidate index, embedding)
     * @return (query index, candidate indices best first), one row per query
     */
    static JavaPairRDD<Long, int[]> topK(JavaPairRDD<Long, float[]> queries, JavaPairRDD<Long, float[]> candidates,
            long numQueries, int k, int blockSize) {
        JavaPairRDD<Long, Iterable<Tuple2<Long, float[]>>> queryBlocks = queries
                .mapToPair(q -> new Tuple2<>(q._1() / blockSize, q))
                .groupByKey();
        return queryBlocks.cartesian(candidates.glom())
                .mapToPair(pair -> {
                    long block = pair._1()._1();
                    long offset = block * blockSize;
                    int size = (int) Math.min(blockSize, numQueries - offset);
                    float[][] blockQueries = new float[size][];
                    for (Tuple2<Long, float[]> q : pair._1()._2()) {
                        blockQueries[(int) (q._1() - offset)] = q._2();
                    }
                    TopKAccumulator top = new TopKAccumulator(size, k);
                    for (Tuple2<Long, float[]> c : pair._2()) {
                        int index = Math.toIntExact(c._1());
                        for (int q = 0; q < size; q++) {
                            top.offer(q, RetrievalRecall.dot(blockQueries[q], c._2()), index);
                        }
                    }
                    return new Tuple2<>(block, top);
                })
                .reduceByKey(TopKAccumulator::merge)
                .flatMapToPair(b -> {
                    long offset = b._1() * blockSize;
                    List<Tuple2<Long, int[]>> out = new ArrayList<>();
                    for (int q = 0; q < b._2().queries(); q++) {
                        out.add(new Tuple2<>(offset + q, b._2().topIndices(q)));
                    }
                    return out.iterator();
                });
    }
}
