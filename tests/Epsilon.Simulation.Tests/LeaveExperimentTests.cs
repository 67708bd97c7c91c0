namespace Epsilon.Simulation;

public sealed class LeaveExperimentTests
{
    [Fact]
    public void Run_OneOfTenGatewaysLeaves_AboutATenthOfTheFunctionsMove_AllFromIt()
    {
        var result = LeaveExperiment.Run(new SimulationOptions { Gateways = 10, LeavingGateways = 1, Functions = 10_000 });

        Assert.InRange(result.Moved, 850, 1150);
        Assert.Equal((0, 0), (result.MovedFromStayingHome, result.MovedPastNextSurvivor));
    }

    [Fact]
    public void Run_TenOfAHundredLeave_AboutATenthMove()
    {
        var result = LeaveExperiment.Run(new SimulationOptions());

        Assert.InRange(result.MovedShare, 0.085, 0.115);
        Assert.Equal((0, 0), (result.MovedFromStayingHome, result.MovedPastNextSurvivor));
    }
}
