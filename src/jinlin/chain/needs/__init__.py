"""双报到 needs 服务需求: the committee publishes, members claim (认领), the committee confirms,
the member marks it done with a line and the hours served (服务时长)."""
