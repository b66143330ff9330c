namespace Wafer.ControlPlane.Artifacts;

/// <summary>Why the artifact store failed; each becomes its own status (507, 503, 500).</summary>
internal enum ArtifactStoreFault
{
    /// <summary>Something else went wrong (a permission, a refusal by S3); 500.</summary>
    Failed,

    /// <summary>The disk (or its quota) is full; 507.</summary>
    DiskFull,

    /// <summary>The store cannot be reached (S3 down, a timeout); 503, worth retrying later.</summary>
    Unavailable,
}
