"""Dask clusters of Kaon workers on batch systems, through dask-jobqueue: every job starts one
single-threaded `dask worker` inside the Kaon worker image (kaon-worker.def / Containerfile),
so the batch nodes need Apptainer and the image, nothing else.

    import sys; sys.path.insert(0, "deploy/dask")
    import clusters, kaon.dask
    cluster = clusters.slurm_cluster(queue="short", binds=["/data"])
    cluster.scale(jobs=20)
    run = kaon.dask.run("samples.yml", analysis="dimuon", scheduler=cluster.scheduler_address)

The scheduler runs in the calling process (a login node); the jobs connect back to it. Kaon
runs each work item on one thread, so a worker has one core and one thread: scale by jobs.
crosschecks/peers/test_dask.py checks the job scripts these write."""

IMAGE = "kaon-worker.sif"


def worker_python(image=IMAGE, binds=()):
    """The Python the jobs run `distributed.cli.dask_worker` with: the image's, through Apptainer
    (`binds`: host folders the workers read, such as the data)."""
    return " ".join(["apptainer", "exec", *(f"--bind={folder}" for folder in binds), image, "python3"])


def slurm_cluster(*, image=IMAGE, binds=(), queue=None, account=None, walltime="02:00:00", memory="4GB", **options):
    """A dask_jobqueue.SLURMCluster of one-core Kaon workers (`options` go to SLURMCluster)."""
    from dask_jobqueue import SLURMCluster

    return SLURMCluster(cores=1, processes=1, memory=memory, walltime=walltime, queue=queue, account=account,
                        python=worker_python(image, binds), **options)


def htcondor_cluster(*, image=IMAGE, binds=(), memory="4GB", disk="4GB", **options):
    """A dask_jobqueue.HTCondorCluster of one-core Kaon workers (`options` go to HTCondorCluster)."""
    from dask_jobqueue import HTCondorCluster

    return HTCondorCluster(cores=1, processes=1, memory=memory, disk=disk, python=worker_python(image, binds), **options)
