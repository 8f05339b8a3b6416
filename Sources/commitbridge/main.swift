print("commitbridge")
