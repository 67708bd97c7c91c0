using Epsilon.Core.Registry;
using Microsoft.Extensions.Options;

namespace Epsilon.Aws.Ecr;

/// <summary>With <c>Epsilon:Registry:Provider=Ecr</c>, the region must be known at start, not at the first push.</summary>
internal sealed class EcrRegistryOptionsValidator(IOptions<AwsOptions> aws) : IValidateOptions<RegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryOptions options) =>
        options.Provider == RegistryProvider.Ecr && string.IsNullOrEmpty(aws.Value.Region)
            ? ValidateOptionsResult.Fail("Epsilon:Registry:Provider=Ecr needs the AWS region: set Epsilon:Aws:Region (or AWS_REGION).")
            : ValidateOptionsResult.Success;
}
