namespace Epsilon.Aws.Credentials;

/// <summary>No AWS credentials could be found or refreshed; the message says where they are looked for.</summary>
internal sealed class AwsCredentialsException(string message, Exception innerException) : Exception(message, innerException);
