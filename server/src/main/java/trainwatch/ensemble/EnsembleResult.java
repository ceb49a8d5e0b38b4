package trainwatch.ensemble;

import java.util.List;

/**
 * runs/.ensembles/&lt;id&gt;/result.json (and the {@code result} of GET /api/ensembles/{id}): every
 * member's and the ensemble's accuracy and loss on the validation split (and the dataset's test
 * split when it has one: test_* null otherwise), the pairwise disagreement rate, the members-added
 * curve (members in order of their own val_acc), the parameter-averaged model when asked for, and
 * for image data a few validation images the ensemble got right where the best member was wrong
 * ({@code fixed}) and where both were wrong ({@code not_fixed}).
 */
public record EnsembleResult(String id, String dataset, int valExamples, int testExamples, List<Member> members, Scores ensemble,
                             double disagreement, double meanMemberValAcc, double bestMemberValAcc, List<CurvePoint> curve,
                             Scores averaged, String averagedNote, Images images, long durationMs, double examplesPerSec) {

    public record Member(String run, String checkpoint, String name, long seed, double valAcc, double valLoss, Double testAcc,
                         Double testLoss) {}

    public record Scores(double valAcc, double valLoss, Double testAcc, Double testLoss) {}

    /** {@code members}: how many of the best members are averaged; {@code added}: the member that joined at this size. */
    public record CurvePoint(int members, String added, double valAcc, double valLoss, Double testAcc) {}

    /** {@code pixels}: base64 of shape[1]*shape[2] bytes (0 = black), row-major. */
    public record Example(int index, int label, int ensemble, int bestMember, int membersRight, String pixels) {}

    public record Images(int[] shape, String bestMember, List<Example> fixed, List<Example> notFixed) {}
}
