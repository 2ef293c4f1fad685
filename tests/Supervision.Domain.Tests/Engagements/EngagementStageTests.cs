using Supervision.Domain.Engagements;

namespace Supervision.Domain.Tests.Engagements;

public sealed class EngagementStageTests
{
    public static TheoryData<EngagementStage> AllStages => [.. Enum.GetValues<EngagementStage>()];

    [Fact]
    public void CanMove_IsTrue_WhenMovingForward()
    {
        Assert.True(EngagementStages.CanMove(EngagementStage.Received, EngagementStage.SelectionRequested));
    }

    [Fact]
    public void CanMove_IsFalse_WhenMovingBackward()
    {
        Assert.False(EngagementStages.CanMove(EngagementStage.SelectionRequested, EngagementStage.Received));
    }

    [Theory]
    [MemberData(nameof(AllStages))]
    public void CanMove_IsTrue_WhenStageIsRepeated(EngagementStage stage)
    {
        Assert.True(EngagementStages.CanMove(stage, stage));
    }

    [Fact]
    public void CanMove_OnlyEverGoesForward_AcrossEveryPairOfStages()
    {
        // The declaration order is the lifecycle order; any stage added later must keep this property.
        EngagementStage[] lifecycle = Enum.GetValues<EngagementStage>();
        Assert.True(lifecycle.Length >= 2);

        for (int from = 0; from < lifecycle.Length; from++)
        {
            for (int to = 0; to < lifecycle.Length; to++)
                Assert.Equal(to >= from, EngagementStages.CanMove(lifecycle[from], lifecycle[to]));
        }
    }
}
