-- Population survey responses, one row per respondent and wave (PostgreSQL flavour). The
-- codebook a wave was read with is the mapping of its import batch. Anonymous: the
-- respondent key is the survey's own, answers are codes.
CREATE TABLE survey_responses (
    zone_id BIGINT NOT NULL REFERENCES zones(id),
    batch_id BIGINT NOT NULL REFERENCES batches(id),
    survey TEXT NOT NULL,
    wave TEXT NOT NULL,
    respondent TEXT NOT NULL,
    municipality TEXT,
    area_code TEXT,
    stratum TEXT,
    cluster TEXT,
    weight DOUBLE PRECISION NOT NULL CHECK (weight > 0),
    fpc DOUBLE PRECISION,
    sex TEXT,
    age_band TEXT,
    -- JSON object: question code -> answer code or null
    answers TEXT NOT NULL,
    synthetic BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (zone_id, survey, wave, respondent)
);
